/**
 * Rupee amounts in text the server writes (alert messages, condition descriptions): Indian digit
 * grouping (en-IN: 1,00,000.00) and always two decimals, matching the UI's prices
 * (components/format.ts). Pure; safe in the worker and the browser.
 */
const rupeeFormat = new Intl.NumberFormat('en-IN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** "₹1,601.60" for 1601.6; "₹1,00,000.00" for 100000 (rupees in, text out). */
export function formatRupees(rupees: number): string {
  return `₹${rupeeFormat.format(rupees)}`;
}
