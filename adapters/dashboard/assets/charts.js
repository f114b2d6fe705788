// Draws the statistics page's charts with Chart.js (served beside this file) from the JSON in
// #stats-data. The same figures are in the tables under each chart: without script, or with a
// screen reader, nothing is missing. Plain ES2017, no build step.
(() => {
  const source = document.getElementById('stats-data');
  if (!source || typeof Chart === 'undefined') return;
  const data = JSON.parse(source.textContent);
  const L = data.labels;
  // Colours with 3:1 contrast or more against white (WCAG 1.4.11 for graphics).
  const C = {
    red: '#b91c1c',
    blue: '#1d4ed8',
    amber: '#b45309',
    green: '#047857',
    grey: '#4b5563',
  };
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  Chart.defaults.color = '#1f2937';
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.animation = false;

  const draw = (id, config) => {
    const canvas = document.getElementById(id);
    if (canvas) new Chart(canvas, config);
  };

  const weeks = data.weeks;
  const weekSets = [
    {
      label: L.complaints,
      data: weeks.map((w) => w.complaints),
      backgroundColor: C.red,
      stack: 'k',
    },
    {
      label: L.aspirations,
      data: weeks.map((w) => w.aspirations),
      backgroundColor: C.blue,
      stack: 'k',
    },
    { label: L.handoffs, data: weeks.map((w) => w.handoffs), backgroundColor: C.amber, stack: 'k' },
  ];
  if (weeks.some((w) => w.questions_answered !== null)) {
    weekSets.push({
      type: 'line',
      label: L.questions,
      data: weeks.map((w) => w.questions_answered),
      borderColor: C.green,
      backgroundColor: C.green,
      pointRadius: 2,
    });
  }
  draw('chart-weeks', {
    type: 'bar',
    data: { labels: weeks.map((w) => w.label), datasets: weekSets },
    options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } },
  });

  draw('chart-categories', {
    type: 'bar',
    data: {
      labels: data.categories.map((c) => c.name),
      datasets: [
        { label: L.cases, data: data.categories.map((c) => c.cases), backgroundColor: C.blue },
      ],
    },
    options: { indexAxis: 'y', plugins: { legend: { display: false } } },
  });

  draw('chart-agencies', {
    type: 'bar',
    data: {
      labels: data.agencies.map((a) => a.name),
      datasets: [
        {
          label: L.onTime,
          data: data.agencies.map((a) =>
            a.finished_on_time === null ? null : Math.round(a.finished_on_time * 1000) / 10,
          ),
          backgroundColor: C.green,
        },
      ],
    },
    options: {
      indexAxis: 'y',
      plugins: { legend: { display: false } },
      scales: { x: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` } } },
    },
  });
})();
