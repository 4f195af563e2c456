#!/usr/bin/env python3
"""Writes a GitOps repository for bench/lint.sh: FILES files of DOCS manifests each (ExternalSecrets, stores,
Deployments reading their Secrets, RBAC), spread over apps/<n>/ with a kustomization per app. Deterministic."""
import os, sys

root, files, docs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(root, exist_ok=True)
apps = max(1, files // 10)
for a in range(apps):
    folder = os.path.join(root, "apps", f"app{a:03d}")
    os.makedirs(folder, exist_ok=True)
    names = []
    for f in range(files // apps):
        n = a * (files // apps) + f
        out = []
        for d in range(docs):
            i = n * docs + d
            kind = i % 5
            if kind == 0:
                out.append(f"""apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: es-{i}
  namespace: ns-{a}
spec:
  refreshInterval: 1h
  secretStoreRef:
    kind: ClusterSecretStore
    name: vault
  target:
    name: secret-{i}
  data:
    - secretKey: password
      remoteRef:
        key: apps/{a}/db-{i}
        property: password
    - secretKey: username
      remoteRef:
        key: apps/{a}/db-{i}
        property: username
""")
            elif kind == 1:
                out.append(f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i}
  namespace: ns-{a}
  annotations:
    reloader.stakater.com/auto: "true"
spec:
  selector:
    matchLabels: {{app: app-{i}}}
  template:
    metadata:
      labels: {{app: app-{i}}}
    spec:
      containers:
        - name: app
          image: ghcr.io/example/app:1.{i % 50}.0
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: secret-{i - 1}
                  key: password
""")
            elif kind == 2:
                out.append(f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: config-{i}
  namespace: ns-{a}
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: "a,b,c"
""")
            elif kind == 3:
                out.append(f"""apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: reader-{i}
  namespace: ns-{a}
rules:
  - apiGroups: [""]
    resources: [configmaps]
    verbs: [get, list, watch]
""")
            else:
                out.append(f"""apiVersion: v1
kind: Service
metadata:
  name: svc-{i}
  namespace: ns-{a}
spec:
  selector: {{app: app-{i - 3}}}
  ports:
    - port: 80
      targetPort: 8080
""")
        name = f"manifests-{n:04d}.yaml"
        names.append(name)
        with open(os.path.join(folder, name), "w") as fh:
            fh.write("---\n".join(out))
    with open(os.path.join(folder, "kustomization.yaml"), "w") as fh:
        fh.write("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n")
        fh.writelines(f"  - {n}\n" for n in names)
with open(os.path.join(root, "clustersecretstore.yaml"), "w") as fh:
    fh.write("""apiVersion: external-secrets.io/v1
kind: ClusterSecretStore
metadata:
  name: vault
spec:
  provider:
    vault:
      server: https://vault.example.org
      path: secret
      version: v2
      auth:
        kubernetes: {mountPath: kubernetes, role: eso}
""")
