# The scheduling classes and their arithmetic build on the host too: the host
# tests drive them against a simulated clock (tests/host/sched_test_env.cpp).
keel_host_sources(sched/fair.cpp sched/fair_balance.cpp sched/rt.cpp sched/idle.cpp sched/stop_task.cpp
                  sched/prio_weights.cpp sched/debug.cpp sched/rq.cpp sched/loadavg.cpp)
