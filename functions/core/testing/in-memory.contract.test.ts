import { appointmentRepositoryContract } from './repository-contract';
import { inMemoryDeps } from './in-memory';

appointmentRepositoryContract('in-memory fake', () => inMemoryDeps({ value: new Date() }).deps.appointments);
