import type { Container, PodSpec } from './k8s-types';

/*
 * The Kubernetes Pod Security Standards, "restricted" profile (which includes "baseline"), as
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/ lists the controls for
 * Kubernetes 1.28 and later. Each check returns the violations it finds, worded with the field.
 */

const ALLOWED_VOLUME_SOURCES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);

const ALLOWED_SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

interface NamedContainer {
  path: string;
  container: Container;
}

function allContainers(spec: PodSpec): NamedContainer[] {
  const groups: [string, Container[] | undefined][] = [
    ['containers', spec.containers],
    ['initContainers', spec.initContainers],
    ['ephemeralContainers', spec.ephemeralContainers],
  ];
  return groups.flatMap(([field, containers]) =>
    (containers ?? []).map((container) => ({ path: `${field}[${container.name}]`, container })),
  );
}

type Check = (spec: PodSpec, containers: NamedContainer[]) => string[];

/** Every control, by the name the standard gives it. */
export const restrictedChecks: Record<string, Check> = {
  // --- baseline ---
  HostProcess: (spec, containers) => [
    ...(spec.securityContext?.windowsOptions?.hostProcess
      ? ['securityContext.windowsOptions.hostProcess is true']
      : []),
    ...containers
      .filter(({ container }) => container.securityContext?.windowsOptions?.hostProcess)
      .map(({ path }) => `${path}.securityContext.windowsOptions.hostProcess is true`),
  ],
  'Host Namespaces': (spec) =>
    (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((field) => spec[field]).map((field) => `${field} is true`),
  'Privileged Containers': (_spec, containers) =>
    containers
      .filter(({ container }) => container.securityContext?.privileged)
      .map(({ path }) => `${path}.securityContext.privileged is true`),
  'HostPath Volumes': (spec) =>
    (spec.volumes ?? [])
      .filter((volume) => 'hostPath' in volume)
      .map((volume) => `volume ${volume.name} is a hostPath`),
  'Host Ports': (_spec, containers) =>
    containers.flatMap(({ path, container }) =>
      (container.ports ?? [])
        .filter((port) => port.hostPort !== undefined && port.hostPort !== 0)
        .map((port) => `${path} sets hostPort ${port.hostPort}`),
    ),
  AppArmor: (spec, containers) =>
    [
      { path: 'securityContext', type: spec.securityContext?.appArmorProfile?.type },
      ...containers.map(({ path, container }) => ({
        path: `${path}.securityContext`,
        type: container.securityContext?.appArmorProfile?.type,
      })),
    ]
      .filter(({ type }) => type !== undefined && type !== 'RuntimeDefault' && type !== 'Localhost')
      .map(({ path, type }) => `${path}.appArmorProfile.type is ${type}`),
  SELinux: (spec, containers) =>
    [
      { path: 'securityContext', options: spec.securityContext?.seLinuxOptions },
      ...containers.map(({ path, container }) => ({
        path: `${path}.securityContext`,
        options: container.securityContext?.seLinuxOptions,
      })),
    ].flatMap(({ path, options }) => [
      ...(options?.type !== undefined && !ALLOWED_SELINUX_TYPES.has(options.type)
        ? [`${path}.seLinuxOptions.type is ${options.type}`]
        : []),
      ...(options?.user ? [`${path}.seLinuxOptions.user is set`] : []),
      ...(options?.role ? [`${path}.seLinuxOptions.role is set`] : []),
    ]),
  '/proc Mount Type': (_spec, containers) =>
    containers
      .filter(({ container }) => (container.securityContext?.procMount ?? 'Default') !== 'Default')
      .map(({ path }) => `${path}.securityContext.procMount is not Default`),
  'Seccomp (baseline)': (spec, containers) =>
    [
      { path: 'securityContext', type: spec.securityContext?.seccompProfile?.type },
      ...containers.map(({ path, container }) => ({
        path: `${path}.securityContext`,
        type: container.securityContext?.seccompProfile?.type,
      })),
    ]
      .filter(({ type }) => type === 'Unconfined')
      .map(({ path }) => `${path}.seccompProfile.type is Unconfined`),
  Sysctls: (spec) =>
    (spec.securityContext?.sysctls ?? [])
      .filter((sysctl) => !SAFE_SYSCTLS.has(sysctl.name))
      .map((sysctl) => `sysctl ${sysctl.name} is not in the safe set`),

  // --- restricted ---
  'Volume Types': (spec) =>
    (spec.volumes ?? []).flatMap((volume) => {
      const sources = Object.keys(volume).filter((key) => key !== 'name');
      return sources
        .filter((source) => !ALLOWED_VOLUME_SOURCES.has(source))
        .map((source) => `volume ${volume.name} is a ${source}`);
    }),
  'Privilege Escalation': (_spec, containers) =>
    containers
      .filter(({ container }) => container.securityContext?.allowPrivilegeEscalation !== false)
      .map(({ path }) => `${path}.securityContext.allowPrivilegeEscalation is not false`),
  'Running as Non-root': (spec, containers) => {
    const podNonRoot = spec.securityContext?.runAsNonRoot === true;
    return containers.flatMap(({ path, container }) => {
      const own = container.securityContext?.runAsNonRoot;
      if (own === false) return [`${path}.securityContext.runAsNonRoot is false`];
      return own === true || podNonRoot
        ? []
        : [`${path}: runAsNonRoot is true neither on the pod nor on the container`];
    });
  },
  'Running as Non-root user': (spec, containers) =>
    [
      { path: 'securityContext', user: spec.securityContext?.runAsUser },
      ...containers.map(({ path, container }) => ({
        path: `${path}.securityContext`,
        user: container.securityContext?.runAsUser,
      })),
    ]
      .filter(({ user }) => user === 0)
      .map(({ path }) => `${path}.runAsUser is 0`),
  'Seccomp (restricted)': (spec, containers) => {
    const allowed = (type: string | undefined) => type === 'RuntimeDefault' || type === 'Localhost';
    const podType = spec.securityContext?.seccompProfile?.type;
    return containers.flatMap(({ path, container }) => {
      const own = container.securityContext?.seccompProfile?.type;
      if (own !== undefined) return allowed(own) ? [] : [`${path}.securityContext.seccompProfile.type is ${own}`];
      return allowed(podType)
        ? []
        : [`${path}: no RuntimeDefault or Localhost seccomp profile on the pod or container`];
    });
  },
  'Capabilities (restricted)': (_spec, containers) =>
    containers.flatMap(({ path, container }) => {
      const capabilities = container.securityContext?.capabilities;
      const violations: string[] = [];
      if (!(capabilities?.drop ?? []).includes('ALL'))
        violations.push(`${path}.securityContext.capabilities.drop lacks ALL`);
      for (const added of capabilities?.add ?? []) {
        if (added !== 'NET_BIND_SERVICE') violations.push(`${path}.securityContext.capabilities.add has ${added}`);
      }
      return violations;
    }),
};

/** All violations of the restricted profile in a pod spec; empty when it complies. */
export function restrictedViolations(spec: PodSpec): string[] {
  const containers = allContainers(spec);
  return Object.entries(restrictedChecks).flatMap(([control, check]) =>
    check(spec, containers).map((violation) => `${control}: ${violation}`),
  );
}
