// This ISA build's KernelTable. Constant-initialized: no code of this file runs at load time.
#include "kernels.h"

namespace capa {

#if defined(CAPA_ISA_AVX512)
extern const KernelTable kAvx512Table = {
    "avx512",
#elif defined(CAPA_ISA_AVX2)
extern const KernelTable kAvx2Table = {
    "avx2",
#else
extern const KernelTable kScalarTable = {
    "scalar",
#endif
    CAPA_NS::unary,
    CAPA_NS::unary_grad,
    CAPA_NS::binary,
    CAPA_NS::compare,
    CAPA_NS::reduce,
    CAPA_NS::arg_reduce,
    CAPA_NS::matmul,
    CAPA_NS::softmax,
    CAPA_NS::softmax_grad,
    CAPA_NS::conv2d,
    CAPA_NS::conv2d_backprop_input,
    CAPA_NS::conv2d_backprop_filter,
    CAPA_NS::depthwise,
    CAPA_NS::depthwise_backprop_input,
    CAPA_NS::depthwise_backprop_filter,
    CAPA_NS::max_pool,
    CAPA_NS::max_pool_grad,
    CAPA_NS::avg_pool,
    CAPA_NS::avg_pool_grad,
    CAPA_NS::batch_norm_inference,
    CAPA_NS::batch_norm_training,
    CAPA_NS::batch_norm_grad,
    CAPA_NS::sgd,
    CAPA_NS::adam,
};

}  // namespace capa
