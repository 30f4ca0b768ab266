package server

import "html/template"

// The texts of the two information pages every Dutch public service has.
const privacyText template.HTML = `
<p>De Leeromgeving Werken 2.0 is een dienst van het Programma Ambtenaar 2.0. Wij verwerken alleen de gegevens die nodig zijn om u te laten leren, certificeren en kiezen.</p>
<h2>Welke gegevens</h2>
<ul>
<li>Uw naam, werk-e-mailadres en organisatie, om u te herkennen en uw organisatie uw voortgang te laten volgen.</li>
<li>Uw voortgang en toetsresultaten, om u verder te laten gaan waar u was en certificaten uit te geven.</li>
<li>Uw aanvragen, bewijsstukken, certificaten en reviews, voor de certificering en de Gouden Gids.</li>
</ul>
<h2>Uw rechten</h2>
<p>Onder de Algemene verordening gegevensbescherming (AVG) heeft u recht op inzage en verwijdering. Op <a href="/mijn/account">Mijn account</a> downloadt u al uw gegevens en verwijdert u uw account. Uitgegeven certificaten blijven controleerbaar met de naam zoals die bij uitgifte was; in het openbare register staat u alleen als u daarvoor kiest.</p>
<h2>Cookies</h2>
<p>Wij gebruiken alleen functionele cookies: één om u ingelogd te houden en één die formulieren beveiligt. Er zijn geen volg- of advertentiecookies.</p>`

const accessibilityText template.HTML = `
<p>Wij willen dat iedereen deze leeromgeving kan gebruiken. Zij is gebouwd volgens de WCAG 2.1 op niveau AA, zoals het Besluit digitale toegankelijkheid overheid vraagt.</p>
<ul>
<li>Alle pagina's werken met alleen een toetsenbord en zonder JavaScript.</li>
<li>Formuliervelden hebben een label; foutmeldingen staan bij het veld en bovenaan het formulier.</li>
<li>Kleuren hebben voldoende contrast, en de focus is altijd zichtbaar.</li>
<li>De pagina's zijn goed te lezen op een telefoon en bij 200% vergroting.</li>
</ul>
<p>Loopt u toch tegen een probleem aan? Meld het bij het programmabureau, dan lossen wij het op.</p>`
