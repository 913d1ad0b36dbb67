/** @file plot.cpp
 *  @brief Writes the timings, a log-binned histogram and a gnuplot script next to the PNG, runs gnuplot, removes them.
 */
#include "benchmarks/plot.h"

#include "benchmarks/index_bench.h"
#include "common/error.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

namespace morgue::bench {

namespace {

/// gnuplot single-quoted string: only ' needs doubling.
std::string gp_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

}  // namespace

void plot_latency(const std::vector<double>& ms, const std::string& title, const std::string& png_path) {
    if (ms.empty()) throw Error(png_path + ": nothing to plot");
    std::vector<double> sorted = ms;
    std::sort(sorted.begin(), sorted.end());
    const LatencySummary s = summarise(sorted);
    const std::string data_path = png_path + ".data";
    const std::string hist_path = png_path + ".hist";
    const std::string script_path = png_path + ".gp";
    {
        std::ofstream data(data_path);
        for (std::size_t i = 0; i < sorted.size(); ++i)
            data << std::max(sorted[i], 1e-3) << ' ' << 100.0 * static_cast<double>(i + 1) / static_cast<double>(sorted.size()) << '\n';
        if (!data) throw Error(data_path + ": cannot write plot data");
        // Histogram: bins of equal width in log10(ms), 20 per decade; "centre count width" per line.
        constexpr double bin = 0.05;
        std::ofstream hist(hist_path);
        for (std::size_t i = 0; i < sorted.size();) {
            const double k = std::floor(std::log10(std::max(sorted[i], 1e-3)) / bin);
            const double hi = std::pow(10.0, (k + 1) * bin);
            std::size_t n = 0;
            for (; i < sorted.size() && std::max(sorted[i], 1e-3) < hi; ++i) ++n;
            const double lo = std::pow(10.0, k * bin);
            hist << std::sqrt(lo * hi) << ' ' << n << ' ' << (hi - lo) * 0.9 << '\n';
        }
        if (!hist) throw Error(hist_path + ": cannot write plot data");
    }
    std::ofstream gp(script_path);
    gp << "set terminal pngcairo size 1000,700 font 'sans,10' noenhanced\n"
       << "set output " << gp_quote(png_path) << "\n"
       << "set multiplot layout 2,1 title " << gp_quote(title) << "\n"
       << "set logscale x\nset format x '%g'\nset mxtics 10\nset grid xtics mxtics ytics\n"
       << "set xtics (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)\n"
       << "set xlabel 'latency (ms, log scale)'\n"
       << "set xrange [" << std::max(sorted.front() * 0.8, 1e-3) << ":" << sorted.back() * 1.25 << "]\n"
       << "set ylabel 'searches'\nset style fill solid 0.6\n"
       << "plot " << gp_quote(hist_path) << " using 1:2:3 with boxes notitle\n"
       << "set ylabel 'answered within (%)'\nset yrange [0:100]\n";
    const std::pair<const char*, double> marks[] = {{"p50", s.p50_ms}, {"p90", s.p90_ms}, {"p99", s.p99_ms}};
    int tag = 1;
    for (const auto& [name, value] : marks) {
        char label[96];
        std::snprintf(label, sizeof label, "%s %.2f ms", name, value);
        gp << "set arrow " << tag << " from " << value << ",0 to " << value << ",100 nohead dt 2 lc rgb 'red'\n"
           << "set label " << tag << ' ' << gp_quote(label) << " at " << value << "," << (30 + 25 * (tag - 1))
           << " left offset 0.5,0 tc rgb 'red'\n";
        ++tag;
    }
    gp << "plot " << gp_quote(data_path) << " using 1:2 with lines lw 2 notitle\n"
       << "unset multiplot\n";
    gp.close();
    if (!gp) throw Error(script_path + ": cannot write plot script");
    ChildRun run;
    try {
        run = run_child({"gnuplot", script_path});
    } catch (const Error&) {
        throw Error("--plot needs gnuplot (Debian: apt-get install gnuplot-nox)");
    }
    std::error_code ec;
    std::filesystem::remove(data_path, ec);
    std::filesystem::remove(hist_path, ec);
    std::filesystem::remove(script_path, ec);
    if (run.exit_status != 0) throw Error(png_path + ": gnuplot failed (status " + std::to_string(run.exit_status) + ")");
}

}  // namespace morgue::bench
