// The server's built-in traffic generator: lets a running simulation show moving statistics
// before real endpoints exist. Each stream belongs to one VM and sends UDP datagrams at a
// wall-clock rate (datagrams per second), a fraction to external addresses (198.51.100.0/24)
// and the rest to the addresses of the other VMs (hairpin). The rate is a ceiling: when the VM
// has no free output buffer, the datagrams due are skipped (counted as `refused`), not queued,
// so a slow simulation does not build an ever-growing backlog.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <random>

#include "smartnic/switch.hpp"

namespace smartnic::control {

struct TrafficSpec {
  double rate = 0;              // datagrams per second (wall clock); 0 = off
  std::size_t size = 256;       // IPv4 total length, 28..9000
  double external_fraction = 0.5;
};

class TrafficGenerator {
 public:
  using Clock = std::chrono::steady_clock;
  struct Stream {
    TrafficSpec spec;
    Clock::time_point start;
    std::uint64_t due_sent = 0;  // datagrams due so far that were sent or skipped
    std::uint64_t sent = 0;
    std::uint64_t refused = 0;   // skipped: the VM had no free output buffer
  };

  explicit TrafficGenerator(std::uint64_t seed = 1) : rng_(seed) {}

  // Throws ConfigError on a bad spec; rate 0 stops the stream.
  void set(VmId vm, const TrafficSpec& spec, Clock::time_point now = Clock::now());
  void erase(VmId vm) { streams_.erase(vm); }
  const Stream* find(VmId vm) const;
  bool active() const { return !streams_.empty(); }

  // Hands over what is due by `now`, at most `max_burst` per stream per call so one call stays
  // short. Returns the number of datagrams handed over.
  std::uint64_t run(Switch& sw, Clock::time_point now = Clock::now(), std::uint64_t max_burst = 64);

 private:
  std::map<VmId, Stream> streams_;
  std::mt19937_64 rng_;
  std::uint16_t ident_ = 0;
};

}  // namespace smartnic::control
