{
  # The kernel sources are compiled once per instruction set, each into its own static library
  # with its own -m flags and its own C++ namespace (CAPA_ISA_*), so one binary runs anywhere:
  # cpu.cc picks the table of the best ISA the CPU supports at load time.
  "variables": {
    "kernel_sources": [
      "src/kernels/gemm.cc",
      "src/kernels/pack.cc",
      "src/kernels/conv.cc",
      "src/kernels/conv_direct.cc",
      "src/kernels/matmul.cc",
      "src/kernels/elementwise.cc",
      "src/kernels/reduce.cc",
      "src/kernels/norm.cc",
      "src/kernels/pool.cc",
      "src/kernels/rnn.cc",
      "src/kernels/table.cc"
    ],
    "common_cflags": ["-O3", "-fPIC", "-fvisibility=hidden", "-ffp-contract=fast", "-fno-math-errno", "-fno-tree-loop-distribute-patterns", "-Wno-unused-function", "-Wno-maybe-uninitialized"]
  },
  "target_defaults": {
    "cflags!": ["-O2", "-O0"],
    "cflags_cc!": ["-O2", "-O0", "-std=gnu++14", "-std=gnu++1y"],
    "cflags_cc": ["-std=gnu++17"],
    "xcode_settings": {
      "CLANG_CXX_LANGUAGE_STANDARD": "gnu++17",
      "GCC_OPTIMIZATION_LEVEL": "3"
    }
  },
  "targets": [
    {
      "target_name": "capa_kernels_scalar",
      "type": "static_library",
      "sources": ["<@(kernel_sources)"],
      "cflags": ["<@(common_cflags)"]
    },
    {
      "target_name": "capa_native",
      "sources": [
        "src/binding.cc",
        "src/bind_math.cc",
        "src/bind_nn.cc",
        "src/bind_movement.cc",
        "src/gen/bindings.generated.cc",
        "src/gen/direct.generated.cc",
        "src/threadpool.cc",
        "src/cpu.cc",
        "src/movement.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_DISABLE_CPP_EXCEPTIONS", "NAPI_VERSION=8"],
      "cflags": ["<@(common_cflags)", "-pthread"],
      "ldflags": ["-pthread"],
      "dependencies": ["capa_kernels_scalar"],
      "conditions": [
        ["target_arch=='x64'", {"dependencies": ["capa_kernels_avx2", "capa_kernels_avx512"]}]
      ]
    }
  ],
  "conditions": [
    ["target_arch=='x64'", {
      "targets": [
        {
          "target_name": "capa_kernels_avx2",
          "type": "static_library",
          "sources": ["<@(kernel_sources)"],
          "defines": ["CAPA_ISA_AVX2"],
          "cflags": ["<@(common_cflags)", "-mavx2", "-mfma", "-mno-avx256-split-unaligned-load", "-mno-avx256-split-unaligned-store"],
          "xcode_settings": {"OTHER_CFLAGS": ["-mavx2", "-mfma"]}
        },
        {
          "target_name": "capa_kernels_avx512",
          "type": "static_library",
          "sources": ["<@(kernel_sources)"],
          "defines": ["CAPA_ISA_AVX512"],
          "cflags": ["<@(common_cflags)", "-mavx512f", "-mavx512dq", "-mavx512bw", "-mavx512vl", "-mavx2", "-mfma"],
          "xcode_settings": {"OTHER_CFLAGS": ["-mavx512f", "-mavx512dq", "-mavx512bw", "-mavx512vl", "-mavx2", "-mfma"]}
        }
      ]
    }]
  ]
}
