// renkei console: the only script. Counts down the manual-response deadlines and keeps the
// live tables (trainer's progress, inquiries per second) current through server-sent events.
(function () {
  "use strict";
  document.querySelectorAll(".countdown").forEach(function (element) {
    var left = parseInt(element.getAttribute("data-seconds"), 10) || 0;
    function show() {
      var d = Math.floor(left / 86400), h = Math.floor(left % 86400 / 3600), m = Math.floor(left % 3600 / 60), s = left % 60;
      element.textContent = (d ? d + "日 " : "") + h + "時間 " + m + "分 " + s + "秒";
      if (left > 0) { left -= 1; }
    }
    show();
    setInterval(show, 1000);
  });
  document.querySelectorAll("table[data-live]").forEach(function (table) {
    var source = new EventSource(table.getAttribute("data-live"));
    var body = table.querySelector("tbody");
    var columns = { progress: ["trainee", "title", "score", "steps", "state"], rates: ["caller", "perSecond"], queues: ["tenant", "server", "depth"] }[table.id];
    source.onmessage = function (event) {
      var rows = JSON.parse(event.data);
      if (table.id === "progress") { return updateProgress(body, rows); }
      body.textContent = "";
      rows.forEach(function (row) {
        var tr = document.createElement("tr");
        columns.forEach(function (key) { var td = document.createElement("td"); td.textContent = row[key]; tr.appendChild(td); });
        body.appendChild(tr);
      });
    };
  });
  // The progress rows keep their reset forms: only the score, steps and state cells change.
  function updateProgress(body, rows) {
    rows.forEach(function (row) {
      Array.prototype.forEach.call(body.rows, function (tr) {
        if (tr.cells[0].textContent === row.trainee && tr.cells[1].textContent === row.title) {
          tr.cells[2].textContent = row.passed + " / " + row.total;
          tr.cells[3].textContent = row.steps;
          tr.cells[4].textContent = row.state;
        }
      });
    });
    if (rows.length !== body.rows.length) { document.location.reload(); }
  }
})();
