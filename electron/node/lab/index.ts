/** Builds the lab engine for the Docker endpoint the app uses (the doctor's choice). */
import { createDockerClient } from '../docker/client.js';
import { isLocalEndpoint, resolveDockerEndpoint } from '../docker/endpoint.js';
import { ImageBuilder } from '../images/images.js';
import { LabEngine } from './engine.js';

export function createLabEngine(): LabEngine {
  const endpoint = resolveDockerEndpoint();
  const docker = createDockerClient(endpoint);
  return new LabEngine({ docker, images: new ImageBuilder(docker), localEngine: isLocalEndpoint(endpoint) });
}
