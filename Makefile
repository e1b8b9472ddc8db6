# Keel — top-level driver. `make` builds build/keel; `make run` boots it; `make test` runs every test.
# Both `run` and `test` install the Debian packages they need first (scripts/ensure-deps.sh).

BUILD    ?= build
JOBS     ?= $(shell nproc)
QEMU     ?= qemu-system-x86_64
MEM      ?= 512M
SMP      ?= 1
QUICK    ?= 0
CMDLINE  ?= console=ttyS0
INITRD   ?= $(BUILD)/shell-initramfs.cpio

.PHONY: all kernel run debug test host-test ktest boot-test bench deps clean

all: kernel

$(BUILD)/build.ninja $(BUILD)/Makefile:
	@scripts/ensure-deps.sh build
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null

kernel: $(BUILD)/Makefile
	@cmake --build $(BUILD) -j$(JOBS) --target bzImage

# What `make run` boots: the busybox initramfs with an interactive shell (the
# boot tests build the same image without the shell: scripts/run-tests.sh).
$(BUILD)/shell-initramfs.cpio: kernel scripts/mkinitramfs.sh
	@scripts/mkinitramfs.sh $(BUILD)/shell-initramfs $@ --shell

run: deps kernel $(BUILD)/shell-initramfs.cpio
	$(QEMU) -kernel $(BUILD)/keel -initrd $(INITRD) -append "$(CMDLINE)" \
	    -m $(MEM) -smp $(SMP) -nographic -no-reboot

debug: deps kernel $(BUILD)/shell-initramfs.cpio
	@echo "QEMU is waiting for gdb on :1234. In another terminal:"
	@echo "    gdb $(BUILD)/vmlinux -ex 'target remote :1234'"
	$(QEMU) -kernel $(BUILD)/keel -initrd $(INITRD) -append "$(CMDLINE)" \
	    -m $(MEM) -smp $(SMP) -nographic -no-reboot -s -S

deps:
	@scripts/ensure-deps.sh all

test: deps
	@scripts/run-tests.sh $(BUILD)

host-test: $(BUILD)/Makefile
	@cmake --build $(BUILD) -j$(JOBS) --target host_tests
	@cd $(BUILD) && ctest --output-on-failure

# make bench [QUICK=1]: Keel against Debian's Linux on bench/ (scripts/run-bench.sh).
bench:
	@scripts/ensure-deps.sh bench
	@QUICK=$(QUICK) scripts/run-bench.sh $(BUILD)

clean:
	rm -rf $(BUILD)
