# gnuplot -e "data='ratios.dat'; out='ratios.svg'; subtitle='...'" bench/ratios.gp
# One horizontal bar per metric from 1.0 to its ratio (log scale): left of the
# line Keel is better than Linux, right of it worse. ratios.dat (written by
# bench/report.py): index, label, ratio, 1 if the metric failed on a kernel.
set terminal svg size 900,620 dynamic font "sans,12" background "white"
set output out
n = system("wc -l < " . data) + 0
set title "Keel vs Linux in the same QEMU (ratio <= 1: Keel at least as good)\n{/*0.8 " . subtitle . "}"
set logscale x 10
set xrange [0.01:100]
set xtics ("1/100" 0.01, "1/10" 0.1, "1" 1, "10" 10, "100" 100)
set mxtics 10
set grid xtics mxtics lc rgb "#dddddd"
set yrange [n - 0.5:-0.5]
set ytics scale 0
set xlabel "ratio (Keel/Linux for times, Linux/Keel for rates)"
set key off
set style fill solid 0.8 noborder
set arrow from 1, graph 0 to 1, graph 1 nohead lc rgb "black" lw 1.5
clip(x) = x < 0.011 ? 0.011 : (x > 90 ? 90 : x)
color(r, failed) = failed != 0 ? 0x999999 : (r <= 1 ? 0x2e8b57 : 0xc0392b)
text(r, failed) = failed != 0 ? "FAILED" : sprintf("%.2f", r)
plot data using (clip($3)):1:(clip($3 < 1 ? $3 : 1)):(clip($3 < 1 ? 1 : $3)):($1 - 0.35):($1 + 0.35):(color($3, $4)):ytic(2) \
         with boxxyerror lc rgb variable, \
     data using (clip($3) / 1.08):1:($3 < 1 ? text($3, $4) : "") with labels right font ",10", \
     data using (clip($3) * 1.08):1:($3 >= 1 ? text($3, $4) : "") with labels left font ",10"
