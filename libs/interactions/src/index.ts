export { InteractionsModule } from './interactions.module';
export { IssuerPagesService } from './issuer-pages.service';
export { csrfToken, csrfValid } from './csrf';
