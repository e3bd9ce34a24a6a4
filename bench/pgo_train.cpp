// Training run for the NIC model's profile-guided build (sim/CMakeLists.txt, SMARTNIC_SIM_PGO):
// the same traffic `smartnic bench` measures, small and large frames, TX through the runtime,
// TX of the NIC alone and RX at line rate, run on a model compiled with -fprofile-generate.
// GCC then lays out and inlines the model's evaluation code (a few very large functions) for
// the paths this traffic takes. Every part of the datapath runs here, so no path is left to be
// treated as cold.
#include <cstdio>
#include <exception>

#include "smartnic/bench/bench.hpp"

int main() {
  try {
    smartnic::bench::NicBenchConfig cfg;
    cfg.quick = true;
    for (const std::size_t size : {64, 1500}) {
      const auto tx = smartnic::bench::tx_runtime(cfg, size);
      const auto alone = smartnic::bench::tx_nic_alone(cfg, size);
      const auto rx = smartnic::bench::rx_line_rate(cfg, size);
      std::printf("pgo_train: %zu B: TX %llu, TX alone %llu, RX %llu frames\n", size,
                  static_cast<unsigned long long>(tx.frames),
                  static_cast<unsigned long long>(alone.frames),
                  static_cast<unsigned long long>(rx.frames));
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pgo_train: %s\n", e.what());
    return 1;
  }
}
