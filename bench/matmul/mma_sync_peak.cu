// The H200's mma.sync ceiling: bf16 m16n8k16 with f32 accumulators issued
// back to back from registers (no memory traffic), CHAINS independent
// accumulators a warp so the tensor pipe is never waiting on a result.
// What bench.py's "bf16, mma.sync (sm_80 build)" row can reach at most:
// its matmul adds the shared-memory operand loads and the copies to this.
//
//   nvcc -O3 -arch=sm_90a bench/matmul/mma_sync_peak.cu -o mma_sync_peak && ./mma_sync_peak
#include <cstdio>
#include <cuda_runtime.h>

template <int CHAINS>
__global__ void mmaLoop(float *out, int iterations) {
  unsigned a[4], b[2];
  for (int r = 0; r < 4; ++r)
    a[r] = 0x3f803f80u ^ (threadIdx.x * (r + 1)); // bf16 pairs near 1
  for (int r = 0; r < 2; ++r)
    b[r] = 0x3f803f80u ^ (threadIdx.x * (r + 7));
  float acc[CHAINS][4] = {};
  for (int i = 0; i < iterations; ++i) {
#pragma unroll
    for (int c = 0; c < CHAINS; ++c)
      asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0, %1, %2, %3}, "
                   "{%4, %5, %6, %7}, {%8, %9}, {%0, %1, %2, %3};"
                   : "+f"(acc[c][0]), "+f"(acc[c][1]), "+f"(acc[c][2]), "+f"(acc[c][3])
                   : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
  }
  float sum = 0;
  for (int c = 0; c < CHAINS; ++c)
    for (int e = 0; e < 4; ++e)
      sum += acc[c][e];
  out[blockIdx.x * blockDim.x + threadIdx.x] = sum;
}

template <int CHAINS> void measure(int blocks, int threads, int iterations, float *out) {
  cudaEvent_t start, stop;
  cudaEventCreate(&start);
  cudaEventCreate(&stop);
  mmaLoop<CHAINS><<<blocks, threads>>>(out, iterations); // warm-up
  float best = 1e30f;
  for (int pass = 0; pass < 5; ++pass) {
    cudaEventRecord(start);
    mmaLoop<CHAINS><<<blocks, threads>>>(out, iterations);
    cudaEventRecord(stop);
    cudaEventSynchronize(stop);
    float ms;
    cudaEventElapsedTime(&ms, start, stop);
    best = ms < best ? ms : best;
  }
  double flops = double(blocks) * (threads / 32) * iterations * CHAINS * (2.0 * 16 * 8 * 16);
  std::printf("mma.sync bf16 m16n8k16: %2d chains a warp, %4d blocks x %3d threads: %7.1f TFLOP/s "
              "(%.3f ms)\n",
              CHAINS, blocks, threads, flops / (best * 1e-3) / 1e12, best);
}

int main() {
  int sms = 0;
  cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0);
  float *out;
  cudaMalloc(&out, sizeof(float) * sms * 8 * 1024);
  const int iterations = 4096;
  measure<4>(sms * 8, 256, iterations, out);
  measure<8>(sms * 8, 256, iterations, out);
  measure<16>(sms * 4, 256, iterations, out);
  measure<8>(sms * 2, 512, iterations, out);
  cudaError_t error = cudaDeviceSynchronize();
  if (error != cudaSuccess) {
    std::printf("CUDA error: %s\n", cudaGetErrorString(error));
    return 1;
  }
  return 0;
}
