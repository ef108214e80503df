// mutual: the only script. Shows each "Copy" button (hidden without JavaScript, where the
// handle stays plain, selectable text) and copies its handle to the clipboard.
document.querySelectorAll("button[data-copy]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(button.dataset.copy);
      button.textContent = button.dataset.done;
    } catch (e) {
      button.textContent = button.dataset.failed;
    }
  });
});
