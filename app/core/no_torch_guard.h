#pragma once
// Force-included into every translation unit of kaskade_core and kaskade_ui (app/CMakeLists.txt,
// kaskade_forbid_torch_headers). The front ends talk to the engine through its Torch-free headers
// (pipeline/generator.h, pipeline/pipeline.h, ...); LibTorch lies in /usr/include on Debian, so a missing
// include directory alone would not stop `#include <ATen/Tensor.h>`. Every ATen, c10 and torch header
// names the namespace c10, so poisoning that identifier turns such an include into a compile error
// ("attempt to use poisoned c10"). Move the code that needs Torch into pipeline/ behind a Torch-free
// function instead.
#pragma GCC poison c10
