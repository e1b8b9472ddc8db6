# kernel/time sources whose logic the host tests exercise (paths relative to kernel/).
keel_host_sources(time/timerqueue.cpp time/clocksource.cpp time/time.cpp)
