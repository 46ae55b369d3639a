// Progressive enhancement for the approval queue's "Select all" link: without JavaScript
// the link reloads the queue with every figure ticked; with it, the boxes are ticked (or
// cleared) in place, keeping any already ticked, and the change is announced. The link
// then acts as a button, so it says so (role="button") and answers the space bar too.
(function () {
  "use strict";
  var control = document.getElementById("select-all");
  if (!control) { return; }
  var form = control.closest("form");
  var boxes = form ? form.querySelectorAll('input[type="checkbox"][name="value"]') : [];
  if (!boxes.length) { return; }
  var selectText = control.getAttribute("data-select-label");
  var status = document.createElement("span");
  status.className = "govuk-visually-hidden";
  status.setAttribute("role", "status");
  control.parentNode.appendChild(status);
  control.setAttribute("role", "button");

  function show(mode) {
    control.setAttribute("data-select-all", mode);
    control.textContent = mode === "select" ? selectText : "Clear the selection";
  }
  function toggle(event) {
    event.preventDefault();
    var ticking = control.getAttribute("data-select-all") === "select";
    for (var i = 0; i < boxes.length; i += 1) { boxes[i].checked = ticking; }
    show(ticking ? "clear" : "select");
    status.textContent = ticking ? boxes.length + " selected" : "None selected";
  }
  control.addEventListener("click", toggle);
  control.addEventListener("keydown", function (event) {
    if (event.key === " ") { toggle(event); }
  });
}());
