/**
 * GCP labels allow only lowercase letters, digits, `_` and `-` (keys must start with a letter),
 * at most 63 characters each. The model's tags (`beta9:environment`, `Team: ML`…) are AWS-shaped,
 * so they are folded into that alphabet here: lowercased, other characters replaced by `-`.
 */
export function toGcpLabels(tags: Record<string, string>): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags)) {
    let k = fold(key);
    if (!/^[a-z]/.test(k)) k = `t-${k}`.slice(0, 63);
    labels[k] = fold(value);
  }
  return labels;
}

function fold(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '-')
    .slice(0, 63);
}
