// reboot(2) magic numbers and commands (include/uapi/linux/reboot.h).
#pragma once

constexpr unsigned LINUX_REBOOT_MAGIC1 = 0xfee1dead;
constexpr unsigned LINUX_REBOOT_MAGIC2 = 672274793;
constexpr unsigned LINUX_REBOOT_MAGIC2A = 85072278;
constexpr unsigned LINUX_REBOOT_MAGIC2B = 369367448;
constexpr unsigned LINUX_REBOOT_MAGIC2C = 537993216;

constexpr unsigned LINUX_REBOOT_CMD_RESTART = 0x01234567;
constexpr unsigned LINUX_REBOOT_CMD_HALT = 0xCDEF0123;
constexpr unsigned LINUX_REBOOT_CMD_CAD_ON = 0x89ABCDEF;
constexpr unsigned LINUX_REBOOT_CMD_CAD_OFF = 0x00000000;
constexpr unsigned LINUX_REBOOT_CMD_POWER_OFF = 0x4321FEDC;
constexpr unsigned LINUX_REBOOT_CMD_RESTART2 = 0xA1B2C3D4;
