// The USWDS behaviours every page uses: the "official website" banner and the mobile menu.
// Everything works without them; they only open and close what is otherwise shown plainly.
import banner from '@uswds/uswds/js/usa-banner';
import header from '@uswds/uswds/js/usa-header';

banner.on(document.body);
header.on(document.body);
