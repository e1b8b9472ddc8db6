# The lock validator's graph and bookkeeping and the queued rwlock also build
# on the host (tests/host/locking_*_test.cpp); stack traces, might_sleep and
# the sleeping locks need the real machine.
keel_host_sources(locking/lockdep_graph.cpp locking/lockdep.cpp locking/qrwlock.cpp)
