// Whether the scheduler runs yet (Linux's kernel/rcu/update.c): until it does,
// there is one task and every wait for readers is trivially over; might_sleep
// also stays quiet through the single-task boot.
#include <keel/rcupdate.h>

int rcu_scheduler_active;

void rcu_scheduler_starting() { rcu_scheduler_active = 1; }
