// What counts as a secret is @k8sm/spec's (the output tree and the CLI's printing share it).
export { IGNORE_ALL, maskSecrets, SECRET_RULES, secretIn } from '@k8sm/spec';
