/** Cluster bootstrap: kubeconfig for EKS/GKE, Kubernetes waits and Secrets, Helm, chart values. */
export * from './types.js';
export * from './redact.js';
export * from './eks.js';
export * from './gke.js';
export * from './kubeconfig.js';
export * from './kube.js';
export * from './outputs.js';
export * from './secrets.js';
export * from './exec.js';
export * from './helm.js';
export * from './charts.js';
export * from './bootstrap.js';
