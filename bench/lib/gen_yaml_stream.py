"""Writes a large, realistic multi-document Kubernetes manifest stream (deterministic).

usage: gen_yaml_stream.py OUT SIZE_MB
Values that look like secrets are random bytes generated here, never literals in the repository.
"""
import base64
import random
import sys

out, size_mb = sys.argv[1], float(sys.argv[2])
rng = random.Random(20261129)
target = int(size_mb * 1_000_000)
apps = ["api", "web", "worker", "billing", "search", "auth", "gateway", "ingest", "reports", "notifier"]
teams = ["platform", "payments", "growth", "data", "identity"]


def rand_b64(n):
    return base64.b64encode(bytes(rng.getrandbits(8) for _ in range(n))).decode()


def deployment(name, ns, i):
    replicas = rng.choice([1, 2, 3, 5])
    image = f"registry.example.com/{ns}/{name}:v1.{rng.randint(0, 40)}.{rng.randint(0, 9)}"
    env = "\n".join(
        f"            - name: {k}\n              value: \"{v}\""
        for k, v in [("LOG_LEVEL", rng.choice(["info", "debug", "warn"])), ("PORT", "8080"),
                     ("REGION", rng.choice(["eu-west-1", "us-east-1"])), ("FEATURE_FLAGS", "a,b,c")])
    return f"""# Deployment for {name} ({i})
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}-{i}
  namespace: {ns}
  labels: &labels
    app.kubernetes.io/name: {name}
    app.kubernetes.io/instance: {name}-{i}
    app.kubernetes.io/part-of: shop
    team: {rng.choice(teams)}
  annotations:
    deployment.kubernetes.io/revision: "{rng.randint(1, 90)}"
    description: >-
      {name} service, replica set {i}, rolled out by the
      platform pipeline; owner contact in the catalog.
spec:
  replicas: {replicas}
  revisionHistoryLimit: 10
  selector:
    matchLabels: *labels
  strategy:
    type: RollingUpdate
    rollingUpdate: {{maxSurge: 25%, maxUnavailable: 0}}
  template:
    metadata:
      labels: *labels
    spec:
      serviceAccountName: {name}
      securityContext: {{runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001}}
      containers:
        - name: {name}
          image: {image}
          imagePullPolicy: IfNotPresent
          args: ["--config", "/etc/{name}/config.yaml", "--port=8080"]
          ports:
            - name: http
              containerPort: 8080
              protocol: TCP
          env:
{env}
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: {{name: {name}-db, key: password}}
          resources:
            requests: {{cpu: 100m, memory: 128Mi}}
            limits: {{cpu: "1", memory: 512Mi}}
          readinessProbe:
            httpGet: {{path: /healthz, port: http}}
            initialDelaySeconds: 5
            periodSeconds: 10
          volumeMounts:
            - name: config
              mountPath: /etc/{name}
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: {name}-config
"""


def secret(name, ns, i):
    return f"""apiVersion: v1
kind: Secret
metadata:
  name: {name}-db-{i}
  namespace: {ns}
type: Opaque
data:
  username: {base64.b64encode(f"{name}_user".encode()).decode()}
  password: {rand_b64(24)}
stringData:
  DATABASE_URL: "postgres://{name}:{rand_b64(12)}@db.{ns}.svc:5432/{name}?sslmode=require"
"""


def configmap(name, ns, i):
    lines = "\n".join(f"      {k}: {v}" for k, v in [("workers", rng.randint(1, 16)), ("timeout", "30s"),
                                                    ("retries", rng.randint(0, 5)), ("cache", "true")])
    return f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}-config-{i}
  namespace: {ns}
data:
  LOG_FORMAT: json
  ENABLE_METRICS: "true"
  MAX_CONNECTIONS: "{rng.randint(10, 500)}"
  config.yaml: |
    server:
      port: 8080
      host: 0.0.0.0
    app:
{lines}
    upstreams:
      - https://{rng.choice(apps)}.{ns}.svc.cluster.local
      - https://{rng.choice(apps)}.{ns}.svc.cluster.local
  motd.txt: |+
    Welcome to {name} — ünïcödé ok, 日本語 too.

"""


def service(name, ns, i):
    return f"""apiVersion: v1
kind: Service
metadata:
  name: {name}-{i}
  namespace: {ns}
spec:
  type: ClusterIP
  selector: {{app.kubernetes.io/name: {name}}}
  ports:
    - {{name: http, port: 80, targetPort: http}}
"""


def values(name, ns, i):
    return f"""# Helm-style values for {name}
global:
  imageRegistry: registry.example.com
  storageClass: ""
image:
  repository: {ns}/{name}
  tag: "1.{rng.randint(0, 40)}"
  pullPolicy: IfNotPresent
ingress:
  enabled: {rng.choice(["true", "false"])}
  hosts:
    - host: {name}.example.com
      paths: [{{path: /, pathType: Prefix}}]
  tls: []
autoscaling: {{enabled: true, minReplicas: 2, maxReplicas: {rng.randint(3, 20)}, targetCPUUtilizationPercentage: 80}}
nodeSelector: {{}}
tolerations: []
podAnnotations:
  prometheus.io/scrape: "true"
  prometheus.io/port: "9090"
"""


kinds = [deployment, secret, configmap, service, values]
written = 0
i = 0
with open(out, "w", encoding="utf-8") as f:
    while written < target:
        name = rng.choice(apps)
        ns = rng.choice(teams)
        doc = "---\n" + kinds[i % len(kinds)](name, ns, i)
        f.write(doc)
        written += len(doc.encode())
        i += 1
print(f"wrote {written} bytes, {i} documents to {out}", file=sys.stderr)
