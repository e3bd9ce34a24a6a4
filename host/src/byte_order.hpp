// Little-endian loads and stores into DMA memory (descriptors, completions: the NIC's layouts
// are little-endian) and big-endian ones for IPv4 headers (network order). Independent of the
// host's byte order and of alignment: on a little-endian host a field is one unaligned memcpy
// (a single load or store), elsewhere it is assembled with shifts. (GCC 12 did not merge the
// byte loop alone into one access: a profile of hairpin delivery showed it in completion
// parsing. The hairpin figure did not measurably change with this.)
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <type_traits>

namespace smartnic::detail {

template <typename T>
void store_le(std::span<std::byte> mem, std::size_t offset, T value) {
  static_assert(std::is_integral_v<T> && sizeof(T) <= 8);
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(mem.subspan(offset, sizeof(T)).data(), &value, sizeof(T));
  } else {
    for (std::size_t i = 0; i < sizeof(T); ++i) {
      mem[offset + i] = static_cast<std::byte>(static_cast<std::uint64_t>(value) >> (8 * i));
    }
  }
}

template <typename T>
T load_le(std::span<const std::byte> mem, std::size_t offset) {
  static_assert(std::is_integral_v<T> && sizeof(T) <= 8);
  if constexpr (std::endian::native == std::endian::little) {
    T v;
    std::memcpy(&v, mem.subspan(offset, sizeof(T)).data(), sizeof(T));
    return v;
  } else {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) {
      v |= static_cast<std::uint64_t>(mem[offset + i]) << (8 * i);
    }
    return static_cast<T>(v);
  }
}

inline void store_be16(std::span<std::byte> mem, std::size_t offset, std::uint16_t v) {
  mem[offset] = static_cast<std::byte>(v >> 8);
  mem[offset + 1] = static_cast<std::byte>(v);
}

inline void store_be32(std::span<std::byte> mem, std::size_t offset, std::uint32_t v) {
  store_be16(mem, offset, static_cast<std::uint16_t>(v >> 16));
  store_be16(mem, offset + 2, static_cast<std::uint16_t>(v));
}

inline std::uint16_t load_be16(std::span<const std::byte> mem, std::size_t offset) {
  return static_cast<std::uint16_t>((std::to_integer<unsigned>(mem[offset]) << 8) |
                                    std::to_integer<unsigned>(mem[offset + 1]));
}

inline std::uint32_t load_be32(std::span<const std::byte> mem, std::size_t offset) {
  return (std::uint32_t{load_be16(mem, offset)} << 16) | load_be16(mem, offset + 2);
}

}  // namespace smartnic::detail
