// Host time of the ways to enqueue a forward's few small kernels on one
// stream (the question behind issue 11's host-time target: a forward is 2-4
// launches, each a cuLaunchKernel): plain launches against one cuGraphLaunch
// of the same kernels, with and without updating every node's parameters
// first (a call's buffers change). Per-call host time, the stream drained
// between batches of 100 so that the queue never fills (as
// test/GPU/RuntimeGpuTest.cpp's LaunchOverhead measures it).
//
//   nvcc -O2 -o graph_launch bench/launch/graph_launch.cu -lcuda && ./graph_launch
#include <cuda.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#define CHECK(expr)                                                                                \
  do {                                                                                             \
    CUresult result_ = (expr);                                                                     \
    if (result_ != CUDA_SUCCESS) {                                                                 \
      const char *text = nullptr;                                                                  \
      cuGetErrorString(result_, &text);                                                            \
      std::fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #expr, text);                    \
      std::exit(1);                                                                                \
    }                                                                                              \
  } while (0)

// 4 parameters (segsum_exp's) and 40 (about ssd_chunk_outputs').
extern "C" __global__ void small(float *a, float *b, long n, long m) {
  if (threadIdx.x == 0 && blockIdx.x == 0 && n < 0)
    a[0] = b[0] + m;
}
struct Wide {
  long values[40];
};
extern "C" __global__ void wide(float *a, Wide w) {
  if (threadIdx.x == 0 && blockIdx.x == 0 && w.values[0] < 0)
    a[0] = w.values[39];
}

using Clock = std::chrono::steady_clock;

template <typename F> double perCall(CUstream stream, F &&call) {
  constexpr int kBatch = 100;
  double best = 1e30;
  for (int round = 0; round < 30; ++round) {
    CHECK(cuStreamSynchronize(stream));
    auto start = Clock::now();
    for (int i = 0; i < kBatch; ++i)
      call(i);
    double us = std::chrono::duration<double, std::micro>(Clock::now() - start).count() / kBatch;
    best = std::min(best, us);
  }
  CHECK(cuStreamSynchronize(stream));
  return best;
}

int main() {
  CHECK(cuInit(0));
  CUdevice device;
  CHECK(cuDeviceGet(&device, 0));
  CUcontext context;
  CHECK(cuDevicePrimaryCtxRetain(&context, device));
  CHECK(cuCtxSetCurrent(context));
  CUstream stream;
  CHECK(cuStreamCreate(&stream, CU_STREAM_NON_BLOCKING));
  CUfunction smallFunction, wideFunction;
  // The kernels through the runtime's registration: cudaGetFuncBySymbol gives
  // their CUfunction.
  CHECK((CUresult)cudaGetFuncBySymbol((cudaFunction_t *)&smallFunction, (const void *)small));
  CHECK((CUresult)cudaGetFuncBySymbol((cudaFunction_t *)&wideFunction, (const void *)wide));

  CUdeviceptr buffer;
  CHECK(cuMemAlloc(&buffer, 1 << 20));
  float *a = reinterpret_cast<float *>(buffer), *b = a + 1024;
  long n = 1, m = 2;
  Wide w{};
  void *smallParams[] = {&a, &b, &n, &m};
  void *wideParams[] = {&a, &w};

  auto launch = [&](CUfunction f, void **params) {
    CHECK(cuLaunchKernel(f, 64, 2, 1, 128, 1, 1, 0, stream, params, nullptr));
  };
  double small1 = perCall(stream, [&](int) { launch(smallFunction, smallParams); });
  double wide1 = perCall(stream, [&](int) { launch(wideFunction, wideParams); });
  double plain3 = perCall(stream, [&](int) {
    launch(wideFunction, wideParams);
    launch(wideFunction, wideParams);
    launch(wideFunction, wideParams);
  });

  // The same three launches captured into a graph.
  CHECK(cuStreamBeginCapture(stream, CU_STREAM_CAPTURE_MODE_THREAD_LOCAL));
  for (int i = 0; i < 3; ++i)
    launch(wideFunction, wideParams);
  CUgraph graph;
  CHECK(cuStreamEndCapture(stream, &graph));
  CUgraphExec exec;
  CHECK(cuGraphInstantiate(&exec, graph, 0));
  size_t count = 0;
  CHECK(cuGraphGetNodes(graph, nullptr, &count));
  std::vector<CUgraphNode> nodes(count);
  CHECK(cuGraphGetNodes(graph, nodes.data(), &count));
  double graph3 = perCall(stream, [&](int) { CHECK(cuGraphLaunch(exec, stream)); });
  CUDA_KERNEL_NODE_PARAMS node{};
  node.func = wideFunction;
  node.gridDimX = 64;
  node.gridDimY = 2;
  node.gridDimZ = 1;
  node.blockDimX = 128;
  node.blockDimY = 1;
  node.blockDimZ = 1;
  node.kernelParams = wideParams;
  double update3 = perCall(stream, [&](int i) {
    w.values[0] = i;  // new values each call
    for (CUgraphNode each : nodes)
      CHECK(cuGraphExecKernelNodeSetParams(exec, each, &node));
    CHECK(cuGraphLaunch(exec, stream));
  });
  double update1 = perCall(stream, [&](int i) {
    w.values[0] = i;
    CHECK(cuGraphExecKernelNodeSetParams(exec, nodes[0], &node));
    CHECK(cuGraphLaunch(exec, stream));
  });
  CUstreamCaptureStatus capturing;
  double isCapturing = perCall(stream, [&](int) { CHECK(cuStreamIsCapturing(stream, &capturing)); });

  std::printf("| enqueue | host us per call |\n|---|---|\n");
  std::printf("| cuLaunchKernel, 4 params | %.2f |\n", small1);
  std::printf("| cuLaunchKernel, 40 params (320 B) | %.2f |\n", wide1);
  std::printf("| 3 x cuLaunchKernel, 40 params | %.2f |\n", plain3);
  std::printf("| cuGraphLaunch of those 3 | %.2f |\n", graph3);
  std::printf("| 3 x cuGraphExecKernelNodeSetParams + cuGraphLaunch | %.2f |\n", update3);
  std::printf("| 1 x cuGraphExecKernelNodeSetParams + cuGraphLaunch | %.2f |\n", update1);
  std::printf("| cuStreamIsCapturing | %.2f |\n", isCapturing);
  return 0;
}
