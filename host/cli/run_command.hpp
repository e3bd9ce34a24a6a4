// The loop of `smartnic run`: real endpoints (TUN/TAP namespaces, pcaps, generators) as the
// VMs of a Switch on the Verilated NIC, and the NIC's Ethernet port bridged to whatever plays
// the wire (an external host's TAP, a pcap, or nothing). Header-only, so the endpoint tests
// (tests/endpoints/test_through_nic.cpp) drive the very loop the command uses.
//
// The simulated NIC advances only when the runtime lets the device run (Switch::poll() with
// work outstanding, Switch::idle()). Each round therefore keeps the clock running while
// anything moves or is in flight, and for kQuietRounds rounds after that (so a frame injected
// into the port is parsed, DMA'd to its VM and completed, or an ARP request answered), and only
// then sleeps on the endpoints' file descriptors for up to `sleep` of wall time.
#pragma once

#include <poll.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <span>
#include <thread>
#include <vector>

#include "smartnic/endpoints/endpoint.hpp"
#include "smartnic/endpoints/switch_pump.hpp"
#include "smartnic/sim_device.hpp"
#include "smartnic/switch.hpp"

namespace smartnic::cli {

// The other end of the NIC's network port. Empty functions: nothing arrives, frames the NIC
// sends are counted and dropped.
struct Wire {
  // Next Ethernet frame (no FCS) towards the NIC, nullopt when none is ready now. Never blocks.
  std::function<std::optional<std::vector<std::byte>>()> read_frame;
  // An Ethernet frame the NIC sent out of its port.
  std::function<void(std::span<const std::byte>)> write_frame;
  int poll_fd = -1;  // readable when read_frame() may return something; -1: none
};

struct NicLoopCounters {
  std::uint64_t rounds = 0;
  std::uint64_t frames_out = 0;   // frames the NIC sent on its port (handed to the wire)
  std::uint64_t bytes_out = 0;
  std::uint64_t frames_in = 0;    // frames injected into the NIC's port
  std::uint64_t bytes_in = 0;
  std::uint64_t sleeps = 0;       // rounds that waited on file descriptors (the clock stopped)
};

class NicLoop {
 public:
  // Rounds with nothing moving during which the device still runs (idle_wait each, 200 ns of
  // device time by default): long enough for an injected frame to reach its VM's buffer.
  static constexpr unsigned kQuietRounds = 64;
  // Frames injected before the RX port has taken all earlier ones: the wire's burst.
  static constexpr unsigned kInjectBurst = 16;

  NicLoop(Switch& sw, SimDevice& device) : sw_(sw), dev_(device), pump_(sw) {}

  // One endpoint per VM; it must outlive the loop.
  void attach(VmId vm, endpoints::Endpoint& endpoint) {
    pump_.attach(vm, endpoint);
    endpoints_.push_back(&endpoint);
  }
  void set_wire(Wire wire) { wire_ = std::move(wire); }

  // One round: endpoints -> Switch -> endpoints (SwitchPump::step), the port's frames to the
  // wire, the wire's frames into the port, then the clock (see the top of this file). Returns
  // datagrams and frames moved.
  std::size_t step(std::chrono::milliseconds sleep = std::chrono::milliseconds(1)) {
    ++counters_.rounds;
    std::size_t moved = pump_.step();
    auto frames = dev_.take_tx_frames();
    for (const auto& f : frames) {
      const auto bytes = std::as_bytes(std::span(f));
      if (wire_.write_frame) wire_.write_frame(bytes);
      ++counters_.frames_out;
      counters_.bytes_out += bytes.size();
    }
    moved += frames.size();
    if (dev_.rx_idle()) injected_since_idle_ = 0;
    while (wire_.read_frame && injected_since_idle_ < kInjectBurst) {
      auto f = wire_.read_frame();
      if (!f) break;
      counters_.bytes_in += f->size();
      ++counters_.frames_in;
      ++injected_since_idle_;
      ++moved;
      std::vector<std::uint8_t> frame(f->size());
      std::memcpy(frame.data(), f->data(), f->size());
      dev_.inject_rx_frame(std::move(frame));
    }
    const VmStats t = sw_.totals();
    const bool busy = moved != 0 || !dev_.rx_idle() || t.in_flight != 0 || t.pending != 0 ||
                      pump_.counters().refused != refused_seen_;
    refused_seen_ = pump_.counters().refused;
    if (busy) {
      quiet_ = 0;
      sw_.idle();
    } else if (quiet_ < kQuietRounds) {
      ++quiet_;
      sw_.idle();
    } else {
      wait_inputs(sleep);
    }
    return moved;
  }

  // Rounds until until() is true (checked after each round) or `timeout` of wall time passes;
  // returns until()'s last value.
  bool run(const std::function<bool()>& until, std::chrono::milliseconds timeout,
           std::chrono::milliseconds sleep = std::chrono::milliseconds(1)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      step(sleep);
      if (until()) return true;
      if (std::chrono::steady_clock::now() >= deadline) return false;
    }
  }

  // Rounds until nothing is in flight or pending in the switch and the RX port has taken every
  // injected frame, and then kQuietRounds more; at most `timeout` of wall time. True when settled.
  bool settle(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    unsigned calm = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      const std::size_t moved = step(std::chrono::milliseconds(0));
      const VmStats t = sw_.totals();
      calm = (moved == 0 && t.in_flight == 0 && t.pending == 0 && dev_.rx_idle()) ? calm + 1 : 0;
      if (calm > kQuietRounds) return true;
    }
    return false;
  }

  const NicLoopCounters& counters() const { return counters_; }
  const endpoints::PumpCounters& pump_counters() const { return pump_.counters(); }

 private:
  // The clock stops here: wait for any endpoint or the wire to have input, or `sleep`.
  void wait_inputs(std::chrono::milliseconds sleep) {
    ++counters_.sleeps;
    std::vector<pollfd> fds;
    for (const auto* e : endpoints_) {
      if (e->poll_fd() >= 0) fds.push_back(pollfd{e->poll_fd(), POLLIN, 0});
    }
    if (wire_.poll_fd >= 0) fds.push_back(pollfd{wire_.poll_fd, POLLIN, 0});
    const int ms = static_cast<int>(sleep.count());
    if (fds.empty()) {
      std::this_thread::sleep_for(sleep);
    } else if (::poll(fds.data(), fds.size(), ms) > 0) {
      quiet_ = 0;  // input arrived: run the clock again
    }
  }

  Switch& sw_;
  SimDevice& dev_;
  endpoints::SwitchPump pump_;
  std::vector<endpoints::Endpoint*> endpoints_;
  Wire wire_;
  NicLoopCounters counters_;
  unsigned quiet_ = 0;
  unsigned injected_since_idle_ = 0;
  std::uint64_t refused_seen_ = 0;
};

}  // namespace smartnic::cli
