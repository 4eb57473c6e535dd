// An enhancement only: copy buttons appear when script runs; without it the text stays selectable.
document.querySelectorAll("button.copy").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    var source = button.dataset.copy ? document.getElementById(button.dataset.copy).value : button.dataset.copyText;
    navigator.clipboard.writeText(source).then(function () {
      var was = button.textContent;
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = was; }, 1500);
    });
  });
});
