package dev.ser4j.cuda;

import dev.ser4j.bindings.cudart.Cudart;
import dev.ser4j.bindings.cudnn.Cudnn;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.StructLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every struct layout of the bindings against the sizes and offsets the facts sheet measured ([GCC], sections 1 and C.3). */
class CudaBindingLayoutTest {
    private static long off(StructLayout l, String field) {
        return l.byteOffset(PathElement.groupElement(field));
    }

    @Test
    void dim3IsTwelveBytesOfThreeInts() {
        StructLayout d = Cudart.DIM3;
        assertEquals(12, d.byteSize());
        assertEquals(4, d.byteAlignment());
        assertEquals(0, off(d, "x"));
        assertEquals(4, off(d, "y"));
        assertEquals(8, off(d, "z"));
    }

    @Test
    void perfResultStructsAreFortyEightBytesWithTheSheetsOffsets() {
        for (StructLayout l : new StructLayout[]{Cudnn.cudnnConvolutionFwdAlgoPerf_t, Cudnn.cudnnConvolutionBwdDataAlgoPerf_t,
                Cudnn.cudnnConvolutionBwdFilterAlgoPerf_t}) {
            assertEquals(48, l.byteSize(), l.name().orElseThrow());
            assertEquals(8, l.byteAlignment());
            assertEquals(0, off(l, "algo"));
            assertEquals(4, off(l, "status"));
            assertEquals(8, off(l, "time"));
            assertEquals(16, off(l, "memory"));
            assertEquals(24, off(l, "determinism"));
            assertEquals(28, off(l, "mathType"));
            assertEquals(32, off(l, "reserved"));
            assertEquals(12, l.select(PathElement.groupElement("reserved")).byteSize());
            // the offsets ConvPlans reads the results with
            assertEquals(ConvPlans.ALGO, off(l, "algo"));
            assertEquals(ConvPlans.STATUS, off(l, "status"));
            assertEquals(ConvPlans.TIME, off(l, "time"));
            assertEquals(ConvPlans.MEMORY, off(l, "memory"));
            assertEquals(ConvPlans.DETERMINISM, off(l, "determinism"));
            assertEquals(ConvPlans.MATH_TYPE, off(l, "mathType"));
        }
    }

    @Test
    void enumValuesAreTheSheets() {
        // a few values whose cuDNN 8 numbering differed or that are easy to get wrong (sheet C.4, A.3, B.3)
        assertEquals(2000, Cudnn.CUDNN_STATUS_BAD_PARAM);
        assertEquals(3000, Cudnn.CUDNN_STATUS_NOT_SUPPORTED);
        assertEquals(1, Cudnn.CUDNN_TENSOR_NHWC);
        assertEquals(1, Cudnn.CUDNN_CROSS_CORRELATION);
        assertEquals(3, Cudnn.CUDNN_FMA_MATH);
        assertEquals(35, Cudart.cudaErrorInsufficientDriver);
        assertEquals(1, Cudart.cudaMemcpyHostToDevice);
        assertEquals(75, Cudart.cudaDevAttrComputeCapabilityMajor);
        assertEquals(3, dev.ser4j.bindings.cublas.Cublas.CUBLAS_TF32_TENSOR_OP_MATH);
    }
}
