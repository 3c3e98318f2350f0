// review.js gives the review queue its keyboard shortcuts: j and k move
// between items, / goes to the reason field, and a (accept), r (reject),
// g (grade), m (merge) and s (split) press that item's button, asking for a
// reason first when there is none. After an htmx action the result is
// focused, so that keyboard and screen reader users hear it.
function items() {
  return [...document.querySelectorAll('.queue-item')];
}

function current() {
  const a = document.activeElement;
  return (a && a.closest && a.closest('.queue-item')) || null;
}

function focusItem(item) {
  if (!item) return;
  item.focus();
  item.scrollIntoView({ block: 'nearest' });
}

document.addEventListener('keydown', (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const t = e.target;
  if (t.matches('input, select, textarea')) {
    if (e.key === 'Escape') {
      const item = t.closest('.queue-item');
      if (item) item.focus();
    }
    return;
  }
  const all = items();
  const cur = current();
  const i = cur ? all.indexOf(cur) : -1;
  switch (e.key) {
    case 'j': focusItem(all[Math.min(i + 1, all.length - 1)]); break;
    case 'k': focusItem(all[Math.max(i - 1, 0)]); break;
    case '/': {
      const item = cur || all[0];
      const reason = item && item.querySelector('.reason');
      if (reason) reason.focus();
      break;
    }
    case 'a': case 'r': case 'g': case 'm': case 's': {
      const item = cur || all[0];
      const button = item && item.querySelector('button[data-key="' + e.key + '"]');
      if (!button) return;
      const details = button.closest('details');
      if (details) details.open = true;
      const reason = button.form.querySelector('.reason');
      if (reason && !reason.value.trim()) {
        reason.focus();
        return;
      }
      button.click(); // a click, so that htmx sends the button's value too
      break;
    }
    default: return;
  }
  e.preventDefault();
});

document.body.addEventListener('htmx:afterSettle', (e) => {
  const result = e.detail.elt && e.detail.elt.classList && e.detail.elt.classList.contains('result')
    ? e.detail.elt : document.querySelector('.queue-item.result:last-of-type');
  if (result) result.focus();
});
