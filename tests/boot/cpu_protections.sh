#!/usr/bin/env bash
# On a CPU with SMEP/SMAP/NX/1 GiB pages (-cpu max) Keel turns them on; on the
# plainer default CPU it runs without; nosmep/nosmap/noexec=off are honoured.
. "$(dirname "$0")/lib.sh"
boot "$KEEL" "console=ttyS0" "$BUILD/initramfs.cpio" -cpu max
expect_stopped
expect 'NX \(Execute Disable\) protection: active'
expect 'SMEP on, SMAP on'
expect 'Kernel ready to start init'
boot "$KEEL" "console=ttyS0 nosmep nosmap" "$BUILD/initramfs.cpio" -cpu max
expect 'SMEP off, SMAP off'
boot "$KEEL" "console=ttyS0 noexec=off lkdtm=EXEC_DATA panic=-1" "$BUILD/initramfs.cpio"
expect 'NX \(Execute Disable\) protection missing'
expect 'lkdtm: EXEC_DATA returned'
pass
