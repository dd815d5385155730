#pragma once
// Whether this test binary runs under AddressSanitizer (the asan preset). There the resident memory includes
// ASan's quarantine of freed blocks (256 MiB by default) and its shadow memory, so a memory-growth check
// measures the sanitizer rather than Kaskade; LeakSanitizer checks for leaks in that run instead.

namespace kaskade::test {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAddressSanitizer = true; // GCC
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kAddressSanitizer = true; // clang
#else
inline constexpr bool kAddressSanitizer = false;
#endif
#else
inline constexpr bool kAddressSanitizer = false;
#endif

} // namespace kaskade::test
