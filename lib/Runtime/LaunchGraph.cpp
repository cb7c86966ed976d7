//===- LaunchGraph.cpp - Prepared launches enqueued as one CUDA graph -----===//
//
// The CUDA Driver API's graphs (cuGraphCreate, cuGraphAddKernelNode,
// cuGraphInstantiate, cuGraphExecKernelNodeSetParams, cuGraphLaunch) hold
// the sequence; Runtime.h says when it launches one by one instead.
//
//===----------------------------------------------------------------------===//

#include "ssdc/Runtime/Runtime.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace ssdc {

using namespace cuda;

/// One stream's graph: a chain of kernel nodes, one per step whose grid is
/// not empty, and the parameter slots the nodes were last given.
struct LaunchGraph::StreamGraph {
  void *stream = nullptr;
  CUgraph graph = nullptr;
  CUgraphExec exec = nullptr;
  std::vector<CUgraphNode> nodes; // by step; null for an empty grid
  std::vector<uint64_t> slots;    // flat, as slotOffsets_ cuts it
};

LaunchGraph::LaunchGraph(std::vector<PreparedLaunch> steps) : steps_(std::move(steps)) {
  const char *setting = std::getenv("SSDC_LAUNCH_GRAPHS");
  bool anyWork = false, oneDevice = true;
  size_t offset = 0;
  for (const PreparedLaunch &step : steps_) {
    slotOffsets_.push_back(offset);
    offset += step.slots_.size();
    addressCount_ += step.bufferArgs_.size();
    anyWork = anyWork || (step.kernel_ != nullptr && !step.config_.empty());
    // A graph holds one device's work; an empty PreparedLaunch fails
    // launch()'s checks before anything is enqueued.
    oneDevice = oneDevice && step.kernel_ != nullptr && step.device_ == steps_.front().device_;
  }
  slotOffsets_.push_back(offset);
  enabled_ = anyWork && oneDevice && !(setting && std::strcmp(setting, "0") == 0);
}

LaunchGraph::~LaunchGraph() {
  for (std::unique_ptr<StreamGraph> &graph : graphs_)
    destroyGraph(*graph);
}

void LaunchGraph::destroyGraph(StreamGraph &graph) const {
  const Device &device = *steps_.front().device_;
  Device::ContextGuard guard(device);
  // An executable graph still running is freed when it completes
  // (cuGraphExecDestroy's documentation).
  if (graph.exec)
    device.api().cuGraphExecDestroy(graph.exec);
  if (graph.graph)
    device.api().cuGraphDestroy(graph.graph);
  graph.exec = nullptr;
  graph.graph = nullptr;
}

KernelNodeParams LaunchGraph::nodeParams(size_t step, uint64_t *slots, void **pointers) const {
  const PreparedLaunch &launch = steps_[step];
  for (size_t i = 0; i < launch.slots_.size(); ++i)
    pointers[i] = &slots[i];
  KernelNodeParams params;
  params.func = launch.function_;
  params.gridDimX = static_cast<unsigned>(launch.config_.grid[0]);
  params.gridDimY = static_cast<unsigned>(launch.config_.grid[1]);
  params.gridDimZ = static_cast<unsigned>(launch.config_.grid[2]);
  params.blockDimX = launch.config_.block[0];
  params.blockDimY = launch.config_.block[1];
  params.blockDimZ = launch.config_.block[2];
  params.sharedMemBytes = launch.config_.sharedBytes;
  params.kernelParams = pointers; // the driver copies the values
  return params;
}

Status LaunchGraph::makeGraph(void *stream, const uint64_t *slots, StreamGraph &out) const {
  const DriverApi &api = steps_.front().device_->api();
  out.stream = stream;
  out.slots.assign(slots, slots + slotOffsets_.back());
  out.nodes.assign(steps_.size(), nullptr);
  SSDC_RETURN_IF_ERROR(driverStatus(api, api.cuGraphCreate(&out.graph, 0), "cuGraphCreate"));
  CUgraphNode previous = nullptr;
  for (size_t i = 0; i < steps_.size(); ++i) {
    if (steps_[i].config_.empty())
      continue;
    void *pointers[pkg::kMaxArgs];
    KernelNodeParams params = nodeParams(i, out.slots.data() + slotOffsets_[i], pointers);
    SSDC_RETURN_IF_ERROR(driverStatus(api,
                                      api.cuGraphAddKernelNode(&out.nodes[i], out.graph,
                                                               previous ? &previous : nullptr,
                                                               previous ? 1 : 0, &params),
                                      "cuGraphAddKernelNode"));
    previous = out.nodes[i];
  }
  return driverStatus(api, api.cuGraphInstantiate(&out.exec, out.graph, 0), "cuGraphInstantiate");
}

Status LaunchGraph::updateGraph(const uint64_t *slots, StreamGraph &graph) const {
  const DriverApi &api = steps_.front().device_->api();
  for (size_t i = 0; i < steps_.size(); ++i) {
    const uint64_t *begin = slots + slotOffsets_[i], *end = slots + slotOffsets_[i + 1];
    uint64_t *held = graph.slots.data() + slotOffsets_[i];
    if (graph.nodes[i] == nullptr || std::equal(begin, end, held))
      continue;
    std::copy(begin, end, held);
    void *pointers[pkg::kMaxArgs];
    KernelNodeParams params = nodeParams(i, held, pointers);
    SSDC_RETURN_IF_ERROR(
        driverStatus(api, api.cuGraphExecKernelNodeSetParams(graph.exec, graph.nodes[i], &params),
                     "cuGraphExecKernelNodeSetParams"));
  }
  return okStatus();
}

Status LaunchGraph::launchEach(uint64_t *slots, void *stream) const {
  for (size_t i = 0; i < steps_.size(); ++i)
    SSDC_RETURN_IF_ERROR(steps_[i].enqueueSlots(slots + slotOffsets_[i], stream));
  return okStatus();
}

Status LaunchGraph::launch(void *const *addresses, size_t count, void *stream,
                           bool *asGraph) const {
  if (asGraph)
    *asGraph = false;
  if (count != addressCount_)
    return invalidArgument("a launch graph of " + std::to_string(steps_.size()) +
                           " launches takes " + std::to_string(addressCount_) +
                           " buffer addresses but was given " + std::to_string(count));
  // Every step's checks before anything is enqueued.
  constexpr size_t kStackSlots = 512;
  uint64_t stackSlots[kStackSlots];
  std::vector<uint64_t> heapSlots;
  uint64_t *slots = stackSlots;
  if (slotOffsets_.back() > kStackSlots) {
    heapSlots.resize(slotOffsets_.back());
    slots = heapSlots.data();
  }
  void *const *stepAddresses = addresses;
  for (size_t i = 0; i < steps_.size(); ++i) {
    SSDC_RETURN_IF_ERROR(
        steps_[i].fillSlots(stepAddresses, steps_[i].bufferArgs_.size(), slots + slotOffsets_[i]));
    stepAddresses += steps_[i].bufferArgs_.size();
  }
  if (!enabled_)
    return launchEach(slots, stream);

  const Device &device = *steps_.front().device_;
  const DriverApi &api = device.api();
  Device::ContextGuard guard(device);
  SSDC_RETURN_IF_ERROR(guard.status());
  int capture = CU_STREAM_CAPTURE_STATUS_NONE;
  if (api.cuStreamIsCapturing(static_cast<CUstream>(stream), &capture) != CUDA_SUCCESS ||
      capture != CU_STREAM_CAPTURE_STATUS_NONE)
    return launchEach(slots, stream);
  std::unique_lock<std::mutex> lock(mutex_, std::try_to_lock);
  if (!lock.owns_lock())
    return launchEach(slots, stream);
  auto found =
      std::find_if(graphs_.begin(), graphs_.end(),
                   [&](const std::unique_ptr<StreamGraph> &g) { return g->stream == stream; });
  Status made = okStatus();
  if (found == graphs_.end()) {
    if (graphs_.size() >= kMaxStreams) {
      lock.unlock();
      return launchEach(slots, stream);
    }
    auto graph = std::make_unique<StreamGraph>();
    made = makeGraph(stream, slots, *graph);
    graphs_.push_back(std::move(graph));
    found = graphs_.end() - 1;
  } else {
    made = updateGraph(slots, **found);
  }
  if (made.ok())
    made = driverStatus(api, api.cuGraphLaunch((*found)->exec, static_cast<CUstream>(stream)),
                        "cuGraphLaunch");
  if (!made.ok()) {
    // The launches one by one say what is wrong (a bad stream), or succeed
    // where only the graph failed; this stream's graph is made anew next time.
    destroyGraph(**found);
    graphs_.erase(found);
    lock.unlock();
    return launchEach(slots, stream);
  }
  if (asGraph)
    *asGraph = true;
  return okStatus();
}

} // namespace ssdc
