{{/*
Checks across values that a JSON schema cannot express; called from the Deployment. Each
failure names the key to change.
*/}}
{{- define "mcp-server.validateValues" -}}
{{- if and .Values.autoscaling.enabled (gt (.Values.autoscaling.minReplicas | int) (.Values.autoscaling.maxReplicas | int)) }}
{{- fail (printf "autoscaling.minReplicas (%d) must not exceed autoscaling.maxReplicas (%d)" (.Values.autoscaling.minReplicas | int) (.Values.autoscaling.maxReplicas | int)) }}
{{- end }}
{{- if and .Values.autoscaling.enabled (not (dig "requests" "cpu" "" (.Values.resources | default dict))) }}
{{- fail "autoscaling.enabled needs resources.requests.cpu: the HPA's CPU target is a percentage of it" }}
{{- end }}
{{- $drainSeconds := 30 }}
{{- if le (.Values.terminationGracePeriodSeconds | int) (add (.Values.preStopSleepSeconds | int) $drainSeconds | int) }}
{{- fail (printf "terminationGracePeriodSeconds (%d) must exceed preStopSleepSeconds (%d) plus the app's %d s drain time" (.Values.terminationGracePeriodSeconds | int) (.Values.preStopSleepSeconds | int) $drainSeconds) }}
{{- end }}
{{- if eq (len (include "mcp-server.pdbSetLimits" . | fromYaml)) 2 }}
{{- fail "pdb.minAvailable and pdb.maxUnavailable are both set: a PodDisruptionBudget takes one of them; set the other to \"\"" }}
{{- end }}
{{- /* The Deployment's selector (immutable) and the workload identity webhook match on these. */}}
{{- range $key, $why := dict "app.kubernetes.io/name" "the Deployment's selector and the Service match on it" "app.kubernetes.io/instance" "the Deployment's selector and the Service match on it" "azure.workload.identity/use" "the chart sets it to \"true\" for the workload identity webhook" }}
{{- if hasKey ($.Values.podLabels | default dict) $key }}
{{- fail (printf "podLabels must not set %s: %s" $key $why) }}
{{- end }}
{{- end }}
{{- /* Without inbound auth anyone who reaches the Ingress calls tools with the pod's own Entra identity. */}}
{{- if and .Values.ingress.enabled (not .Values.app.auth.enabled) }}
{{- fail "ingress.enabled needs app.auth.enabled=true (MCP_AUTH_ENABLED): an Ingress exposes the MCP endpoint beyond the cluster, and without inbound auth every caller would call tools with this pod's Entra identity" }}
{{- end }}
{{- range $index, $volume := .Values.extraVolumes }}
{{- if eq $volume.name "tmp" }}
{{- fail (printf "extraVolumes[%d]: the name \"tmp\" is taken by the chart's /tmp volume" $index) }}
{{- end }}
{{- end }}
{{- /* The webhook refuses to admit the pod outside this range (its projected token's lifetime). */}}
{{- $expirationKey := "azure.workload.identity/service-account-token-expiration" }}
{{- with .Values.serviceAccount.annotations }}
{{- if hasKey . $expirationKey }}
{{- $expiration := index . $expirationKey | toString }}
{{- if or (not (regexMatch "^[0-9]{1,9}$" $expiration)) (lt (atoi $expiration) 3600) (gt (atoi $expiration) 86400) }}
{{- fail (printf "serviceAccount.annotations[%q] must be a whole number of seconds from 3600 to 86400 (the workload identity webhook refuses the pod otherwise), not %q" $expirationKey $expiration) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
