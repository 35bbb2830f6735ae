/*
 * libser4j_hostmath: the kernels' source compiled for the host, for tests (no GPU needed).
 *
 * Including kernels/ser4j.cu without __CUDACC__ turns every SER4J_KERNEL into a plain extern "C" function of the
 * same name and parameters (native/ser4j_kernels.h): grid-stride kernels run their own body as one thread visiting
 * every index, and the block-cooperative ones (embedding_backward, squared_norm_*) their host twins. Java tests
 * (src/test/java/dev/ser4j/cuda/HostMath*) call these through FFM and compare with the CPU ops of dev.ser4j.nn.
 * Built with -ffp-contract=off, like the fatbin with --fmad=false.
 */
#include "../kernels/ser4j.cu"
