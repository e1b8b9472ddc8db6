#pragma once

[[noreturn]] void start_kernel();
