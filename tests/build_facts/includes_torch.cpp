// Compiled by the CTest tests build_torch_probe_compiles and build_ui_cannot_include_torch (tests/CMakeLists.txt):
// what a ui/ file that includes a Torch header looks like to the compiler.
#include <ATen/core/Tensor.h>

int main()
{
    return 0;
}
