import { appointmentRepositoryContract } from './repository-contract';
import { inMemoryDeps, inMemoryVisitQuality } from './in-memory';
import { visitQualityRepositoryContract } from './visit-quality-contract';

appointmentRepositoryContract('in-memory fake', () => inMemoryDeps({ value: new Date() }).deps.appointments);
visitQualityRepositoryContract('in-memory fake', () => inMemoryVisitQuality());
