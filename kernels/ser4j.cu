/*
 * The fatbin's single translation unit: every op's kernels, so nvcc -fatbin builds one image per
 * architecture holding all entry points (native/ser4j_kernels.h lists them). Each op stays in its own file.
 */
#include "pad.cu"
#include "fill.cu"
#include "linear.cu"
#include "embedding.cu"
#include "conv.cu"
#include "statpool.cu"
#include "attention.cu"
#include "relu.cu"
#include "dropout.cu"
#include "crossentropy.cu"
#include "adam.cu"
