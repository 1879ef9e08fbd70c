#pragma once
// sc_start() for block shells, safe under AddressSanitizer. Debian's SystemC 2.3.4 annotates its
// QuickThreads stack switches for ASan but announces the main coroutine's stack wrongly (seen: top 0), so
// after the simulation ASan believes the main thread has no stack: the next exception thrown there
// skips unpoisoning ("ASan is ignoring requested __asan_handle_no_return ... top: 0x000000000000") and
// stale stack redzones give false "stack-buffer-overflow" reports (google/sanitizers#189). After
// sc_start() returns we tell ASan the main thread's real stack again. Without ASan this is sc_start().
#include <systemc>

#if defined(__SANITIZE_ADDRESS__)
#define NPUSIM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NPUSIM_ASAN 1
#endif
#endif

#ifdef NPUSIM_ASAN
#include <pthread.h>
#include <sanitizer/common_interface_defs.h>
#endif

namespace npusim {

#ifdef NPUSIM_ASAN
// Re-announces the calling thread's stack to ASan (an empty fiber switch onto the stack we are on).
inline void restore_asan_stack_bounds() {
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return;
  void* bottom = nullptr;
  size_t size = 0;
  const bool known = pthread_attr_getstack(&attr, &bottom, &size) == 0;
  pthread_attr_destroy(&attr);
  if (!known) return;
  void* fake_stack = nullptr;  // keeps the thread's fake stack (use-after-return detection) across the switch
  __sanitizer_start_switch_fiber(&fake_stack, bottom, size);
  __sanitizer_finish_switch_fiber(fake_stack, nullptr, nullptr);
}
#else
inline void restore_asan_stack_bounds() {}
#endif

// Runs the simulation until every thread waits (sc_core::sc_start()).
inline void run_simulation() {
  sc_core::sc_start();
  restore_asan_stack_bounds();
}

}  // namespace npusim
