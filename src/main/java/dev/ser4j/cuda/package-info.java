/**
 * The CUDA backend: {@link dev.ser4j.cuda.CudaBackend} over the FFM bindings of {@code bindings/} (CUDA runtime,
 * cuBLAS, cuDNN 9 and ser4j's own kernels in {@code kernels/}).
 *
 * <h2>What was executed where</h2>
 * The session that wrote this package had nvcc 13.0 and {@code libcudart.so.13} but no GPU, no NVIDIA driver, no
 * cuBLAS and no cuDNN. So:
 * <ul>
 * <li><b>Executed and tested there:</b> the kernels' source compiled by nvcc into the fatbin (sm_80, sm_90 SASS,
 *     compute_90 PTX) and by g++ for the host, the host build's results against the Java ops
 *     ({@code *HostMathTest}, bit-exact for most ops), the Java launchers' parameter lists against the PTX entries
 *     ({@code KernelsAbiTest}), the struct layouts against the facts sheet, the cuDNN algorithm choice on
 *     fabricated perf results, library discovery and loading of {@code libcudart.so.13}, and the no-driver path
 *     of {@code --backend auto|cuda}, {@code ./ser4j info} and {@code ./ser4j gpu-check}.</li>
 * <li><b>Never executed on a GPU:</b> everything in {@link dev.ser4j.cuda.CudaBackend} past the availability
 *     probe — {@code cudaLibraryLoadData}/{@code cudaLaunchKernel} of the fatbin, every device kernel (in particular
 *     the parts the host build cannot run: the warp-shuffle/shared-memory sums of {@code squared_norm_*} and the
 *     ballot walk of {@code embedding_backward}), the cuBLAS GEMMs, every cuDNN call (descriptors, the
 *     {@code cudnnFind*} algorithm search, NHWC convolutions with KRSC filters), pinned staging, and the whole-model
 *     parity. The {@code @Tag("cuda")} parity suite and {@code ./ser4j gpu-check} are the checks to run on a GPU
 *     machine before trusting this backend; on a machine without a JDK, the device bundle's {@code gpu-check.sh}
 *     ({@code ./ser4j bundle}, README "CUDA backend") runs the latter, with PyTorch beside it. No GPU has run it
 *     yet.</li>
 * </ul>
 */
package dev.ser4j.cuda;
