/** Saves `text` as a file through a temporary object URL. */
export function downloadText(text: string, fileName: string, type = 'application/json') {
  downloadBlob(new Blob([text], { type }), fileName);
}

/** Saves `blob` as a file through a temporary object URL. */
export function downloadBlob(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers read the URL after click() returns; let go of it a moment later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** `<prefix>-YYYYMMDD-HHMM.json`, local time. */
export function exportFileName(prefix: string, now = new Date()): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${prefix}-${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}.json`;
}
