#include "smartnic/cuckoo_placement.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

#include "smartnic/vm_ip_hash_tables.hpp"

namespace smartnic {

namespace {

std::string load_text(std::size_t entries, std::size_t capacity) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "%zu of %zu slots used, load %.2f %%", entries, capacity,
                capacity ? 100.0 * double(entries) / double(capacity) : 0.0);
  return buf;
}

}  // namespace

unsigned CuckooGeometry::index_bits() const {
  unsigned b = 0;
  while ((std::size_t{1} << b) < buckets) b++;
  return b;
}

TableFull::TableFull(Ipv4Address key, std::size_t entries, std::size_t capacity)
    : ConfigError("VM-IP table is full: cannot add " + key.to_string() + " (" +
                  load_text(entries, capacity) + ", no chain of moves and no free stash slot); remove an address first"),
      key_(key),
      entries_(entries),
      capacity_(capacity) {}

double TableFull::load_factor() const { return capacity_ ? double(entries_) / double(capacity_) : 0.0; }

CuckooPlacement::CuckooPlacement(CuckooGeometry g, unsigned max_moves)
    : g_(g), max_moves_(max_moves), index_bits_(g.index_bits()) {
  if (g_.ways < 1 || g_.ways > kVmIpHashMaxWays) {
    throw ConfigError("cuckoo table: ways must be 1.." + std::to_string(kVmIpHashMaxWays) + ", got " +
                      std::to_string(g_.ways));
  }
  if (g_.buckets < 1 || g_.buckets > 65536 || (g_.buckets & (g_.buckets - 1)) != 0) {
    throw ConfigError("cuckoo table: buckets per way must be a power of two up to 65536, got " +
                      std::to_string(g_.buckets));
  }
  if (g_.slots < 1) throw ConfigError("cuckoo table: slots per bucket must be >= 1");
  slots_.resize(g_.total_slots());
  seen_.assign(g_.main_slots(), 0);
  index_.reserve(g_.total_slots());
}

std::uint32_t CuckooPlacement::bucket(unsigned way, Ipv4Address key) const {
  return vm_ip_hash(way, key.value(), index_bits_);
}

std::vector<std::size_t> CuckooPlacement::candidates(Ipv4Address key) const {
  std::vector<std::size_t> c;
  c.reserve(std::size_t{g_.ways} * g_.slots);
  for (unsigned w = 0; w < g_.ways; w++) {
    const std::size_t base = (std::size_t{w} * g_.buckets + bucket(w, key)) * g_.slots;
    for (unsigned s = 0; s < g_.slots; s++) c.push_back(base + s);
  }
  return c;
}

std::size_t CuckooPlacement::stash_used() const {
  return std::size_t(std::count_if(slots_.begin() + std::ptrdiff_t(g_.main_slots()), slots_.end(),
                                   [](const Slot& s) { return s.valid; }));
}

std::vector<std::size_t> CuckooPlacement::find_path(std::uint32_t key) {
  if (++stamp_ == 0) {  // wrapped: clear the stamps once every 4 G searches
    std::fill(seen_.begin(), seen_.end(), 0);
    stamp_ = 1;
  }
  nodes_.clear();
  const std::size_t per_way = g_.buckets * g_.slots;
  auto make_path = [&](std::int32_t parent, std::size_t free_slot) {
    std::vector<std::size_t> path{free_slot};
    for (std::int32_t n = parent; n >= 0; n = nodes_[std::size_t(n)].parent) path.push_back(nodes_[std::size_t(n)].slot);
    std::reverse(path.begin(), path.end());
    return path;
  };
  // Level 0: the key's own candidates. A free one ends the search at once.
  for (unsigned w = 0; w < g_.ways; w++) {
    const std::size_t base = w * per_way + std::size_t{vm_ip_hash(w, key, index_bits_)} * g_.slots;
    for (unsigned s = 0; s < g_.slots; s++) {
      const std::size_t slot = base + s;
      if (!slots_[slot].valid) return {slot};
      seen_[slot] = stamp_;
      nodes_.push_back({slot, -1, 0});
    }
  }
  // Breadth first: the first free slot found ends the shortest chain.
  for (std::size_t i = 0; i < nodes_.size(); i++) {
    const Node n = nodes_[i];
    if (n.depth >= max_moves_) break;  // nodes are in depth order
    const std::uint32_t occ = slots_[n.slot].key.value();
    const unsigned from_way = unsigned(n.slot / per_way);
    for (unsigned w = 0; w < g_.ways; w++) {
      if (w == from_way) continue;
      const std::size_t base = w * per_way + std::size_t{vm_ip_hash(w, occ, index_bits_)} * g_.slots;
      for (unsigned s = 0; s < g_.slots; s++) {
        const std::size_t slot = base + s;
        if (seen_[slot] == stamp_) continue;
        if (!slots_[slot].valid) return make_path(std::int32_t(i), slot);
        seen_[slot] = stamp_;
        nodes_.push_back({slot, std::int32_t(i), n.depth + 1});
      }
    }
  }
  return {};
}

// path[0] receives `value`; the occupant of path[i] moves to path[i+1]; path.back() is free.
// Writes go back to front: path.back() first, path[0] last.
std::vector<CuckooPlacement::SlotWrite> CuckooPlacement::apply_path(const std::vector<std::size_t>& path,
                                                                      const Slot& value) {
  std::vector<SlotWrite> writes;
  writes.reserve(path.size());
  for (std::size_t i = path.size() - 1; i > 0; i--) {
    const Slot moved = slots_[path[i - 1]];
    slots_[path[i]] = moved;
    index_[moved.key.value()] = path[i];
    writes.push_back({path[i], moved});
  }
  slots_[path[0]] = value;
  index_[value.key.value()] = path[0];
  writes.push_back({path[0], value});
  return writes;
}

std::vector<CuckooPlacement::SlotWrite> CuckooPlacement::insert(Ipv4Address key, VmId vm) {
  if (const auto owner = find(key)) {
    throw ConfigError("address " + key.to_string() + " already belongs to VM " + std::to_string(*owner) +
                      "; remove it there first");
  }
  const Slot value{key, vm, true};
  std::vector<SlotWrite> writes;
  const auto path = find_path(key.value());
  if (!path.empty()) {
    writes = apply_path(path, value);
  } else {
    const auto free = std::find_if(slots_.begin() + std::ptrdiff_t(g_.main_slots()), slots_.end(),
                                   [](const Slot& s) { return !s.valid; });
    if (free == slots_.end()) {
      stats_.failures++;
      throw TableFull(key, size(), capacity());
    }
    const auto slot = std::size_t(free - slots_.begin());
    *free = value;
    index_.emplace(key.value(), slot);
    writes.push_back({slot, value});
    stats_.stash_inserts++;
  }
  stats_.inserts++;
  stats_.insert_writes += writes.size();
  stats_.max_writes = std::max<std::uint64_t>(stats_.max_writes, writes.size());
  return writes;
}

std::vector<CuckooPlacement::SlotWrite> CuckooPlacement::erase(Ipv4Address key) {
  const auto it = index_.find(key.value());
  if (it == index_.end()) throw ConfigError("address " + key.to_string() + " is not in the VM-IP table");
  const std::size_t slot = it->second;
  index_.erase(it);
  slots_[slot] = Slot{};
  return {SlotWrite{slot, slots_[slot]}};
}

std::vector<CuckooPlacement::SlotWrite> CuckooPlacement::set_vm(Ipv4Address key, VmId vm) {
  const auto it = index_.find(key.value());
  if (it == index_.end()) throw ConfigError("address " + key.to_string() + " is not in the VM-IP table");
  slots_[it->second].vm = vm;
  return {SlotWrite{it->second, slots_[it->second]}};
}

std::vector<CuckooPlacement::SlotWrite> CuckooPlacement::rehome_stash() {
  std::vector<SlotWrite> writes;
  for (std::size_t s = g_.main_slots(); s < slots_.size(); s++) {
    if (!slots_[s].valid) continue;
    const Slot value = slots_[s];
    const auto path = find_path(value.key.value());
    if (path.empty()) continue;
    auto w = apply_path(path, value);  // the key is now in the main table and still in the stash
    writes.insert(writes.end(), w.begin(), w.end());
    slots_[s] = Slot{};
    writes.push_back({s, slots_[s]});
  }
  return writes;
}

std::optional<VmId> CuckooPlacement::find(Ipv4Address key) const {
  const auto it = index_.find(key.value());
  if (it == index_.end()) return std::nullopt;
  return slots_[it->second].vm;
}

std::optional<std::size_t> CuckooPlacement::slot_of(Ipv4Address key) const {
  const auto it = index_.find(key.value());
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

}  // namespace smartnic
