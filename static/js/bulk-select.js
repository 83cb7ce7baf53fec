// "Select the rows of this page": ticks or unticks every row's box of the bulk form.
document.addEventListener("DOMContentLoaded", () => {
  const page = document.querySelector("[data-bulk-page]");
  if (!page) return;
  const form = page.closest("form");
  const boxes = () => document.querySelectorAll(`input[name="selected"][form="${form.id}"]`);
  page.addEventListener("change", () => {
    boxes().forEach((box) => { box.checked = page.checked; });
  });
});
