#pragma once

// Registers the ttyS consoles for COM1-COM4 (console=ttyS<n>[,baud]).
void serial8250_console_init();
// earlyprintk=serial[,ttyS<n>][,baud]: a boot console usable before console_init.
int setup_early_serial_console(const char* val);
