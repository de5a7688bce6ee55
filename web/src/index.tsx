import { Route, Router } from '@solidjs/router';
import { lazy, type Component } from 'solid-js';
import { render } from 'solid-js/web';
import type { Role } from '../../shared/roles';
import { Layout } from './components/Layout';
import { RequireRole } from './components/RequireRole';
import Login from './pages/Login';
import { TWO_STEP_SETUP } from './session';
import './styles.css';

const Landing = lazy(() => import('./pages/Landing'));
const Register = lazy(() => import('./pages/Register'));
const ForgotPassword = lazy(() => import('./pages/ForgotPassword'));
const TwoStepSetup = lazy(() => import('./pages/TwoStepSetup'));
const PatientHome = lazy(() => import('./pages/PatientHome'));
const BookAppointment = lazy(() => import('./pages/BookAppointment'));
const DoctorHome = lazy(() => import('./pages/DoctorHome'));
const DoctorAvailability = lazy(() => import('./pages/DoctorAvailability'));
const DoctorPatients = lazy(() => import('./pages/DoctorPatients'));
const DoctorPatientDetails = lazy(() => import('./pages/DoctorPatientDetails'));
const AdminHome = lazy(() => import('./pages/AdminHome'));
const DevOutbox = lazy(() => import('./pages/DevOutbox'));
const WaitingRoom = lazy(() => import('./pages/WaitingRoom'));
const CallPage = lazy(() => import('./pages/CallPage'));
const GuestVisit = lazy(() => import('./pages/GuestVisit'));
const PassLink = lazy(() => import('./pages/GuestVisit').then((m) => ({ default: m.PassLink })));
const Legal = lazy(() => import('./pages/Legal'));
const Help = lazy(() => import('./pages/Help'));
const HelpHome = lazy(() => import('./pages/Help').then((m) => ({ default: m.HelpHome })));
const NotFound = lazy(() => import('./pages/NotFound'));
const AccountDeleted = lazy(() => import('./pages/AccountDeleted'));

const ANY_USER: readonly Role[] = ['patient', 'doctor', 'admin'];

/** A route only the given role(s) may open; its code loads while the session is checked. */
const only = (role: Role | readonly Role[], Page: Component & { preload: () => Promise<unknown> }) => () => {
  void Page.preload();
  return (
    <RequireRole role={role}>
      <Page />
    </RequireRole>
  );
};

render(
  () => (
    <Router root={Layout}>
      <Route path="/" component={Landing} />
      <Route path="/login" component={Login} />
      <Route path="/register" component={Register} />
      <Route path="/forgot-password" component={ForgotPassword} />
      <Route path={TWO_STEP_SETUP} component={TwoStepSetup} />
      <Route path="/legal/:doc" component={Legal} />
      <Route path="/account-deleted" component={AccountDeleted} />
      <Route path="/pass" component={PassLink} />
      <Route path="/guest" component={GuestVisit} />
      <Route path="/help" component={HelpHome} />
      <Route path="/help/:audience" component={Help} />
      <Route path="/patient" component={only('patient', PatientHome)} />
      <Route path="/patient/book" component={only('patient', BookAppointment)} />
      <Route path="/doctor" component={only('doctor', DoctorHome)} />
      <Route path="/doctor/availability" component={only('doctor', DoctorAvailability)} />
      <Route path="/doctor/patients" component={only('doctor', DoctorPatients)} />
      <Route path="/doctor/patients/:patientId" component={only('doctor', DoctorPatientDetails)} />
      <Route path="/visit/:appointmentId" component={only('patient', WaitingRoom)} />
      <Route path="/call/:appointmentId" component={only(['patient', 'doctor'], CallPage)} />
      <Route path="/admin" component={only('admin', AdminHome)} />
      <Route path="/dev/outbox" component={only(ANY_USER, DevOutbox)} />
      <Route path="*404" component={NotFound} />
    </Router>
  ),
  document.getElementById('root')!,
);

// Production only: in development the service worker would serve stale modules.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => undefined);
  });
}
