// The two-phase contract between the clock driver (ModelHarness) and the bus models.
#pragma once

#include <cstdint>
#include <string>

namespace smartnic::sim {

// A model of something outside the design that talks to it through ports.
//
// Every clock cycle the harness calls, in this order:
//   sample(c)  with the design's outputs settled for cycle c: observe handshakes
//              (valid && ready) exactly as the design's flip-flops will see them at the edge;
//   <rising edge: the design updates>
//   drive(c)   set this model's outputs for cycle c+1, like a flip-flop's output after the
//              edge. The design never sees a model output change before the edge it sampled.
// Splitting the phases keeps all models consistent with each other and with the RTL no
// matter in which order they are called.
class ClockedModel {
 public:
  virtual ~ClockedModel() = default;
  virtual void sample(std::uint64_t cycle) = 0;
  virtual void drive(std::uint64_t cycle) = 0;
  // Forget everything in flight and drive idle outputs (called when the design is reset).
  virtual void reset() = 0;
};

// Bus rule violations a model observed. Tests assert count == 0; `first` says what and when,
// because the first violation is the one that explains the rest.
struct ProtocolViolations {
  std::uint64_t count = 0;
  std::string first;

  void record(std::uint64_t cycle, const std::string& what) {
    if (count++ == 0) first = "cycle " + std::to_string(cycle) + ": " + what;
  }
};

}  // namespace smartnic::sim
