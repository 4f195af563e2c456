#!/usr/bin/env python3
"""Writes a synthetic GitOps corpus (Deployments, Services, ConfigMaps, Secrets, ExternalSecrets, Helm values,
kustomizations, READMEs) of about SIZE_MB megabytes into DIR, for scan throughput measurements.
About 1 file in 50 holds a generated secret; values are random at generation time (nothing realistic is committed).
usage: gen_scan_corpus.py DIR [SIZE_MB]"""
import base64, os, random, string, sys

out = sys.argv[1]
target = int(sys.argv[2] if len(sys.argv) > 2 else 50) * 1_000_000
rng = random.Random(42)
alnum = string.ascii_letters + string.digits

def rand(n, chars=alnum):
    return "".join(rng.choice(chars) for _ in range(n))

def deployment(i):
    env = "\n".join(f"""            - name: VAR_{k}
              value: "{rand(8, string.ascii_lowercase)}\"""" for k in range(6))
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i}
  namespace: team-{i % 17}
  labels:
    app.kubernetes.io/name: app-{i}
    app.kubernetes.io/part-of: platform
spec:
  replicas: 3
  selector:
    matchLabels:
      app.kubernetes.io/name: app-{i}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: app-{i}
    spec:
      serviceAccountName: app-{i}
      containers:
        - name: app
          image: registry.example.org/team/app-{i}:1.{i % 9}.{i % 31}
          ports:
            - containerPort: 8080
          resources:
            requests: {{cpu: 100m, memory: 128Mi}}
            limits: {{cpu: "1", memory: 512Mi}}
          env:
{env}
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: app-{i}-db
                  key: password
          readinessProbe:
            httpGet: {{path: /healthz, port: 8080}}
---
apiVersion: v1
kind: Service
metadata:
  name: app-{i}
spec:
  selector:
    app.kubernetes.io/name: app-{i}
  ports:
    - port: 80
      targetPort: 8080
"""

def configmap(i):
    data = "\n".join(f"  setting_{k}: \"{rand(12, string.ascii_lowercase)}\"" for k in range(12))
    return f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: app-{i}-config
data:
{data}
  LOG_LEVEL: info
"""

def external_secret(i):
    return f"""apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: app-{i}-db
spec:
  refreshInterval: 1h
  secretStoreRef: {{name: vault, kind: ClusterSecretStore}}
  target: {{name: app-{i}-db}}
  data:
    - secretKey: password
      remoteRef: {{key: apps/app-{i}/db, property: password}}
"""

def values(i):
    return f"""replicaCount: 2
image:
  repository: registry.example.org/app-{i}
  tag: "1.{i}"
ingress:
  enabled: true
  hosts: [app-{i}.example.org]
postgresql:
  auth:
    existingSecret: app-{i}-db
    secretKeys: {{adminPasswordKey: password}}
resources: {{}}
"""

def secret(i):
    kind = i % 4
    if kind == 0:
        return f"""apiVersion: v1
kind: Secret
metadata: {{name: leaked-{i}}}
data:
  password: {base64.b64encode(rand(20).encode()).decode()}
"""
    if kind == 1:
        return "harborAdminPassword: " + "Harbor" + "12345\n"
    if kind == 2:
        return f"export GITHUB_TOKEN=ghp_{rand(36)}\n"
    return f"DATABASE_URL=postgres://app:{rand(16)}@db:5432/app\n"

os.makedirs(out, exist_ok=True)
written = 0
i = 0
while written < target:
    parts = [("deploy.yaml", deployment(i)), ("configmap.yaml", configmap(i)), ("externalsecret.yaml", external_secret(i)),
             ("values.yaml", values(i))]
    if i % 50 == 0:
        parts.append(("leak.yaml" if i % 200 == 0 else "leak.env", secret(i // 50)))
    d = os.path.join(out, f"app-{i:05d}")
    os.makedirs(d, exist_ok=True)
    for name, text in parts:
        with open(os.path.join(d, name), "w") as f:
            f.write(text)
        written += len(text)
    i += 1
print(f"{written} bytes in {i} apps")
