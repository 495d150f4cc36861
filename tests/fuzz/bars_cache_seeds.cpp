// Writes the bars-cache fuzz target's seed files: candle files from data/ loaded under the fuzz
// key and written with write_cache_file, exactly as the cache writes them. The ctest
// fuzz_bars_cache_seeds_current compares them with the committed seeds, so a new cache format
// says to regenerate them:  build/bin/fuzz_bars_cache_seeds tests/fuzz/seeds/bars_cache data/...
// Thread-safety: single-threaded tool.
#include <cstdio>
#include <filesystem>

#include "bars_cache_key.hpp"
#include "data/ohlcv_reader.hpp"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s OUT_DIR CANDLE_FILE...\n", argv[0]);
    return 2;
  }
  const std::filesystem::path out = argv[1];
  std::filesystem::create_directories(out);
  for (int i = 2; i < argc; ++i) {
    const std::filesystem::path source = argv[i];
    const auto key = cephalo::fuzz::bars_cache_key();
    const auto loaded = cephalo::load_ohlcv(source, key.interval_ms, key.policy);
    if (!loaded.ok) {
      std::fprintf(stderr, "%s: does not load\n", argv[i]);
      return 1;
    }
    const cephalo::CacheBody body{loaded.bars, loaded.gaps, loaded.problems, loaded.dropped_rows};
    const auto target = out / (source.stem().string() + ".bars");
    if (auto written = cephalo::write_cache_file(target, key, body); !written.ok()) {
      std::fprintf(stderr, "%s\n", written.error().c_str());
      return 1;
    }
    std::printf("%s\n", target.c_str());
  }
  return 0;
}
