// Live time-series charts on uPlot (the one library, from its WebJar); each keeps at most `keep` points.

const COLORS = ['#1d4ed8', '#b42318', '#1a7f37', '#935f00', '#6d28d9', '#0e7490', '#be185d', '#4b5563'];

/**
 * Feature names grouped into the charts the device view shows: RMS and peak frequency of every
 * channel (log scale: channels differ by orders of magnitude), and the band powers per channel.
 */
export function groups(names) {
  const pick = (test) => names.map((n, i) => (test(n) ? i : -1)).filter((i) => i >= 0);
  const out = [
    { title: 'RMS', id: 'rms', cols: pick((n) => /(^|[_.])rms$/.test(n)), log: true },
    { title: 'Peak frequency (Hz)', id: 'peak', cols: pick((n) => /peak_?hz$/i.test(n)), log: true },
  ];
  const channels = [...new Set(names.filter((n) => /_band_/.test(n)).map((n) => n.split('_band_')[0]))];
  for (const ch of channels) {
    out.push({ title: 'Band powers: ' + ch, id: 'band-' + ch, cols: pick((n) => n.startsWith(ch + '_band_')), log: false });
  }
  return out.filter((g) => g.cols.length);
}

/** A chart in `box` with one series per label; push(rows of [tsMillis, v...]) appends. */
export function chart(box, titleText, labels, keep, opts = {}) {
  const xs = [];
  const ys = labels.map(() => []);
  box.setAttribute('data-points', '0');
  let plot = null;
  const width = () => Math.max(280, Math.min(box.clientWidth || 600, 1100));
  if (typeof uPlot === 'function') {
    plot = new uPlot({
      width: width(), height: 180, title: titleText,
      scales: { x: { time: true }, y: opts.log ? { distr: 3 } : opts.range ? { range: opts.range } : {} },
      series: [{}].concat(labels.map((l, i) => ({ label: l, stroke: COLORS[i % COLORS.length], width: 1.5 }))),
      legend: { live: false },
    }, [xs].concat(ys), box);
  } else {
    box.textContent = titleText + ': the chart library did not load.';
  }
  const onResize = () => plot && plot.setSize({ width: width(), height: 180 });
  window.addEventListener('resize', onResize);
  return {
    push(rows) {
      for (const r of rows) {
        if (xs.length && r[0] / 1000 <= xs[xs.length - 1]) continue;
        xs.push(r[0] / 1000);
        ys.forEach((col, i) => {
          const v = r[i + 1] ?? null;
          col.push(opts.log && !(v > 0) ? null : v);
        });
      }
      while (xs.length > keep) { xs.shift(); ys.forEach((c) => c.shift()); }
      box.setAttribute('data-points', String(xs.length));
      if (plot) plot.setData([xs].concat(ys));
    },
    destroy() {
      window.removeEventListener('resize', onResize);
      if (plot) plot.destroy();
    },
  };
}
