import { expectLoginError, type LoginCase, staysQuiet } from '../support/expect-diagnosis';

// The login wording in the ten languages of docs/EVALUATION.md point 22 (knowledge/signals.yml, "The login
// wording above, in the ten languages …"). Per language: real messages quoted verbatim from the corpus's
// tune split (corpus id and page beside each), read as login errors with the cause the text gives; real
// tune look-alikes and made-up hard negatives (a permission missing, a rate limit, a password-reset e-mail
// or link, a verification code, a trial, how to make a token) that stay quiet.

interface TuneCase extends LoginCase {
  /** The corpus item quoted (test/fixtures/corpus), always a tune one. */
  id: string;
}

interface TuneLookAlike {
  id: string;
  text: string;
  source: string;
}

describe('German', () => {
  test.each<TuneCase>([
    {
      id: 'pw74-001',
      text: 'Seit der Einführung der PSD2-Richtlinie im September 2019 sind Banken verpflichtet, zusätzliche Sicherheitsvorkehrungen einzuführen, wodurch du deinen Bankzugang mindestens alle 90 Tage erneut authentifizieren musst. In der Kontenübersicht der App zeigen wir dir direkt an, wenn eine Zugangserneuerung erforderlich ist.',
      source: 'https://hilfe.finanzguru.de/de/articles/3083714',
      platform: null,
      cause: 'token_max_lifetime',
    },
    {
      id: 'pw21-285',
      text: 'Ihr Androide merkt in der Regel, wenn das Google-Passwort geändert wurde, und bittet um erneute Eingabe.\n\nDie Lösung: Auf Ihrem Android-Smartphone haben Sie keine Möglichkeit, das Passwort so zu ändern, das es überall wirksam wird. Das geht nur über das Internet am PC. Haben Sie nun Ihr Passwort geändert, funktioniert die Google-Synchronisation vorerst nicht mehr. Zwar haben Sie zunächst noch Zugriff auf Ihre Mails, aber nach kurzer Zeit oder nach einem Neustart ist es damit vorbei. Zugang zum Google Play Store haben Sie mit sofortiger Wirkung nicht mehr. Google verlangt nach einer Authentifizierung und damit nach dem neuen Passwort.',
      source: 'http://www.pcwelt.de/tipps/So_aendern_Sie_Ihr_Google_Passwort-Android-Sicherheit-7090125.html',
      platform: 'google',
      cause: 'password_changed',
    },
    {
      id: 'pw64-002',
      text: 'Wenn der SocialHub dir eine E-Mail schreibt, in der steht, dass die Zugriffsberechtigung abgelaufen ist, dann kann das mehrere Gründe haben. Z.B. kann der Hub die Berechtigung verlieren, wenn du dein Facebook-Passwort änderst, oder wenn du ihm die Berechtigung unter https://www.facebook.com/settings?tab=applications wieder wegnimmst. Das Gleiche gilt auch für andere Netzwerke.\nWas kann ich tun?\nDer Kanal wird im Hub als deaktiviert angezeigt: Wenn keine anderen Zugriffsberechtigungen mehr vorhanden sind\nGar kein großes Problem, klicke einfach auf den Button "Kanal reaktivieren" und sofern du Administrator für den jeweiligen Kanal bei der Social Media Plattform bist, wird der Kanal wieder aktiviert, mit einer gültigen Zugriffsberechtigung.',
      source:
        'https://socialhubio.zendesk.com/hc/de/articles/202453201-Hilfe-Meine-Zugriffsberechtigung-ist-abgelaufen',
      platform: 'meta',
      cause: 'password_changed',
    },
    {
      id: 'pw67-006',
      text: 'Am 30.09.2025, während ich krank im Bett lag, erhielt ich von meinem Kollegen am Nachmittag die Nachricht, dass JTL-Wawi plötzlich keine eBay-Aufträge mehr abholt.\nIm E-Mail-Postfach fand sich eine Mitteilung von JTL mit dem Betreff:\n„Ihr Token bei JTL-eazyAuction ist ausgelaufen“ – wohlgemerkt „ausgelaufen“, nicht etwa „läuft demnächst ab“.',
      source:
        'https://forum.jtl-software.de/threads/ihr-token-bei-jtl-eazyauction-ist-ausgelaufen-verletzung-von-nebenpflichten-treue-und-informationspflicht-durch-jtl.240409',
      platform: 'ebay',
      cause: 'unknown',
    },
    {
      id: 'pw67-005',
      text: '{\n  "StatusCode": "Forbidden",\n  "ResponseCode": "02-002",\n  "ResponseId": 2,\n  "ResponseIdDescription": "UnauthorizedAccessException",\n  "Message": "Authentifizierung fehlgeschlagen.",\n  "Details": null\n}\n\n#### Steps to replicate the behavior:\n\nIn Swagger werden, Grund unbekannt, bei /login die bisher funktionierenden Anmeldedaten nicht mehr akzeptiert.\nBeim Anfordern eines Tokens mit den Anmeldedaten wird 02-002 zurückgegeben - die Funktion bedürfe einer Anmeldung.\n\nDie API läuft korrekt, der Backendmanager wurde neugestartet und läuft korrekt. Alle Websiten (MDE,BDE,API,Swagger) sind wie gewohnt erreichbar. Die Anmeldedaten wurden zuletzt Mitte September erfolgreich verwendet.',
      source: 'https://github.com/selectline-software/selectline-api/issues/412',
      cause: 'unknown',
    },
  ])('$id', expectLoginError);

  test.each<TuneLookAlike>([
    {
      id: 'ns-249',
      text: 'Passwort für Ihr Google-Konto ändern oder zurücksetzen\n\nDas Passwort für Ihr Google-Konto ist mit dem Passwort für Ihre anderen Google-Produkte wie Gmail und YouTube identisch. Wenn Sie Ihr Passwort vergessen haben und es zurücksetzen möchten oder wenn Sie Ihr Passwort aus Sicherheitsgründen ändern möchten, führen Sie bitte die unten beschriebenen Schritte aus.',
      source: 'https://support.google.com/mail/answer/41078?hl=de&topic=1669055&ctx=topic&rd=1',
    },
    {
      id: 'nz47-029',
      text: 'Was passiert, wenn ich meine Login-Daten zu oft falsch eingebe?\n\nZur Ihrer eigenen Sicherheit, erhalten Sie nach zweimaliger Falscheingabe Ihrer Login-Daten eine Meldung sodass Sie nicht noch einen dritten Versuch, haben Ihre Daten einzugeben. Dies würde sonst womöglich zu einer Sperrung Ihres Online-Banking führen. In diesem Fall bitten wir Sie, es zu einem späteren Zeitpunkt erneut zu versuchen. Ein möglicher Neuversuch wird Ihnen in der Fehlermeldung angezeigt.',
      source:
        'https://www.klarna.com/sofort/kundenservice/was-passiert-wenn-ich-meine-login-daten-zu-oft-falsch-eingebe/',
    },
    {
      id: 'nn-298',
      text: 'Rechnung wurde nicht bezahlt:\nWenn Du die aktuelle Rechnung für die Nutzung Deines SaaS-Shops nicht beglichen hast, wird der Adminbereich Deines Shops gesperrt. Da die Rechnung per PayPal eingezogen wird, solltest Du zunächst die hinterlegte Zahlungsmethode (Bankeinzug, Kreditkarte, etc.) in Deinem PayPal-Account prüfen und diese ggf. ändern. In diesem Fall hast Du 7 Tage Zeit die Zahlungsart anzupassen und die offene Rechnung somit zu begleichen.',
      source: 'https://docs.shopware.com/de/shopware-6-de/saas/haeufige-fragen',
    },
    {
      id: 'nz20-044',
      text: 'Ich habe zur Zeit sProbleme mit allen Switchbotgeräten die über IFTTT ein Webhooks an mein Homee schicken sollen\nIfttt macht jedesmal die Fehlermeldung mit 401.\nIch habe mich mehrmals bei IFTTT wieder erneut bei Switchbot angemeldet. Hat aber auch nichts gebracht.\n\nObiges Problem hatte ich am vergangenen Wochenende.\nNach 1 bis 2 Tagen ging es wieder.\nJetzt bestehen dieselben Probleme wieder.Allerdings gibt IFTTT KEINE Fehlermeldung mehr aus. Bei Aktivitäten wird doch nichts mehr aufgeführt.\nBitte um Hilfe.',
      source: 'https://github.com/OpenWonderLabs/SwitchBotAPI/issues/358',
    },
  ])('stays quiet: $id (a tune look-alike)', ({ text }) => staysQuiet(text));

  test.each([
    'Dem Token fehlt die Berechtigung für diesen Endpunkt (403)',
    'Zu viele Anfragen – das Rate-Limit ist erreicht, bitte später erneut versuchen',
    'Ich habe keine E-Mail zum Zurücksetzen des Passworts bekommen',
    'Der Bestätigungscode ist abgelaufen, wie bekomme ich einen neuen?',
    'Meine Testversion ist abgelaufen',
    'Wie erstelle ich ein API-Token für HubSpot?',
    'Meine Kreditkarte ist abgelaufen, wie ändere ich die Zahlungsmethode?',
    'Der Passwort-Reset-Token ist abgelaufen',
    'Ich habe mein Passwort nicht geändert, trotzdem kommt der Fehler',
  ])('stays quiet: %s', staysQuiet);
});

describe('French', () => {
  test.each<TuneCase>([
    {
      id: 'pw26-223',
      text: 'Reconfigurer identifiants suite changement mot de passe\nIl me semble impossible de reconfigurer les identifiants mails et mot de passe suite à une déconnexion de l\'intégration après avoir changé de mot de passe ("Échec de la configuration: could not authenticate").\nExiste-t-il un moyen de mettre à jour le mdp dans l\'intégration où faut-il supprimer et reconfigurer le tout, mais dans ce cas perdre les automatisations déjà configurées, etc. ?',
      source: 'https://github.com/acesyde/hassio_mylight_integration/issues/139',
      platform: null,
      cause: 'password_changed',
    },
    {
      id: 'pw21-289',
      text: 'Lorsque Gmail tente de se connecter à outlook.office365.com\n(port 995, SSL activé) afin de rapatrier votre courrier, les serveurs Microsoft retournent l’erreur :\n« Login to your account via a web browser to verify your account » ou « El servidor ha denegado el acceso POP3… »\nToutes les vérifications classiques (POP autorisé dans Outlook.com, mot de passe correctement saisi, port et protocole chiffré corrects) semblent bonnes… et pourtant la relève échoue. La raison ? L’activation de la validation en deux étapes (2FA) sur votre compte Microsoft.',
      source: 'https://fr.ittrip.xyz/ms-office/outlook/relever-hotmail-gmail-pop',
      platform: 'microsoft',
      cause: 'two_factor_enabled',
    },
    {
      id: 'pw74-010',
      text: '* Cette synchronisation est à renouveler tous les 90 jours. Ceci est une directive des banques et ne dépend pas de notre logiciel.',
      source: 'https://documentation.factures.com/connexion-bancaire/synchronisation-des-comptes-bancaires',
      platform: null,
      cause: 'token_max_lifetime',
    },
    {
      id: 'pw17-023',
      text: 'Nous avons des agents qui ont synchronisé leur compte RDV-S avec leur compte Outlook. Au bout de 90 jours, la synchronisation s’est arrêtée. Ce nombre de jours correspond avec la validité du refresh token.',
      source: 'https://github.com/betagouv/rdv-service-public/pull/5055',
      platform: 'microsoft',
      cause: 'token_max_lifetime',
    },
  ])('$id', expectLoginError);

  test.each<TuneLookAlike>([
    {
      id: 'nx-303',
      text: '[HELP] - Récupération token\n**Token perdu suite à réinstallation de Home assistant*\n\nExiste-t-il une possibilité de récupérer le token ?\n car actuellement le service de **demande de consentement ne fonctionne pas (Enedis**) et ma sauvegarde (trop ancienne) contenait un token précédent.',
      source: 'https://github.com/MyElectricalData/myelectricaldata_import/issues/574',
    },
  ])('stays quiet: $id (a tune look-alike)', ({ text }) => staysQuiet(text));

  test.each([
    "Le jeton n'a pas la permission d'accéder à cette ressource",
    'Trop de requêtes : limite de débit atteinte',
    "Je n'ai pas reçu l'e-mail de réinitialisation du mot de passe",
    'Le code de vérification a expiré',
    "Ma période d'essai a expiré",
    "Comment créer un jeton d'accès pour l'API ?",
    'Le lien de réinitialisation du mot de passe a expiré',
    'La connexion a expiré, le serveur ne répond pas',
  ])('stays quiet: %s', staysQuiet);
});

describe('Spanish', () => {
  test.each<TuneCase>([
    {
      id: 'pw37-010',
      text: '490refresh-tokenSesión de Facebook expirada. Vuelve a conectar tu cuenta de Facebook.\nSolución:\nTu sesión de Facebook ha expirado. Esto suele suceder después de cierto tiempo o si cambiaste tu contraseña de Facebook. Vuelve a conectar tu cuenta de Facebook para establecer una nueva sesión.',
      source: 'https://getlate.dev/es/facebook/errors',
      platform: 'meta',
      cause: 'password_changed',
    },
    {
      id: 'pw6-043',
      text: 'Bueno mira hace unos dias me conseguí el afiliado de Twitch por lo cual tuve que activar la autenticacion en dos pasos lo cual eliminó todas las autenticaciones que tenia en mi cuenta de Twitch ¿Por qué no puedo conectar el bot y tampoco me aparece el botón para volver a autenticarlo?',
      source: 'https://github.com/MrPandir/spicetify-twitch-song-requests/issues/1',
      platform: 'twitch',
      cause: 'two_factor_enabled',
    },
    {
      id: 'pw21-291',
      text: '¡Uf, ese momento! Acabas de tomar una decisión inteligente y vital para tu seguridad digital: has cambiado una contraseña importante. Quizás fue la de tu correo electrónico principal, la de tu banco o la de una red social. Te sientes tranquilo, protegido… hasta que intentas acceder a esa misma aplicación desde tu teléfono inteligente y, ¡sorpresa!, te da error.',
      source: 'https://blog.silverpc.hu/?p=246242',
      platform: null,
      cause: 'password_changed',
    },
    {
      id: 'pw33-028',
      text: 'Una vez que se revoca un token de OAuth 2.0 de tres vías de una aplicación (para un usuario concreto), la aplicación no puede acceder a la información de ese usuario hasta que se vuelva a autorizar otro del mismo tipo de esa aplicación. En la página Seguridad puedes ver todos los tokens de OAuth 2.0 de tres vías para un determinado usuario de una aplicación concreta. Esta lista de tokens y de revocaciones aparece desglosada por usuario y por aplicación.\nPara mejorar la seguridad de las cuentas de usuario de tu servicio de Google, cuando se cambie la contraseña de un usuario, se revocarán los tokens de OAuth 2.0 que se hayan generado para acceder a determinados productos.',
      source: 'https://support.google.com/a/answer/2538798?hl=es',
      platform: 'google',
      cause: 'password_changed',
    },
  ])('$id', expectLoginError);

  test.each([
    'El token no tiene permisos suficientes para este recurso',
    'Demasiadas solicitudes: se alcanzó el límite de peticiones',
    'No me llega el correo para restablecer la contraseña',
    'El código de verificación ha caducado',
    'Mi prueba gratuita ha caducado',
    '¿Cómo creo un token de acceso?',
    'El enlace para restablecer tu contraseña ha caducado',
    '¿Cómo se cambia la contraseña?',
  ])('stays quiet: %s', staysQuiet);
});

describe('Portuguese', () => {
  test.each<TuneCase>([
    {
      id: 'pw37-009',
      text: 'O Facebook gera e emite um token de acesso para conceder a aplicativos de terceiros (como o Hootsuite) acesso ao Facebook API. O token de acesso representa as permissões concedidas ao Legacy Hootsuite Ads para gerenciar sua conta de anúncio do Facebook quando o senhor autorizou a conexão com o Facebook pela primeira vez.\n\nQuando um token de acesso expira, o Legacy Hootsuite Ads não pode mais acessar suas campanhas do Facebook por meio da API do Facebook. O Legacy Hootsuite Ads não pode atualizar os dados de sua campanha ou enviar quaisquer alterações em suas campanhas para o Facebook. Além disso, o senhor não pode criar novas campanhas a partir de sua conta herdada do Hootsuite Ads.',
      source:
        'https://help.hootsuite.com/hc/pt-br/articles/1260804305189-Renovar-um-token-de-acesso-expirado-para-an%C3%BAncios',
      platform: 'meta',
      cause: 'unknown',
    },
    {
      id: 'pw64-902',
      text: 'Matheus (@devaguia),\nComeçou da erro do nada...tem alguma ideia?\n\nGTW-008: Token não válido para este ambiente.\n\nobject(stdClass)#74 (4) { ["msgs"]=> array(1) { [0]=> string(47) "GTW-008: Token não válido para este ambiente." } ["date"]=> string(19) "2024-11-08T12:56:52" ["method"]=> string(4) "POST" ["path"]=> string(18) "/preco/v1/nacional" }',
      source: 'https://github.com/devaguia/correios-php/issues/54',
      cause: 'unknown',
    },
    {
      id: 'pw14-082',
      text: 'Também estou com o mesmo problema. O token expira a cada 1 hora e não é renovado automaticamente.',
      source: 'https://github.com/Msameim181/n8n-nodes-instagram-integrations/issues/10',
      platform: null,
      cause: 'unknown',
    },
  ])('$id', expectLoginError);

  test.each<TuneLookAlike>([
    {
      id: 'nz37-010',
      text: '## Descrição\nAtualmente o token de autenticação do metabase não é atualizado após expirar, causando erros em requisições que necessitam validar a autenticação.',
      source: 'https://github.com/fga-eps-mds/2018.1-TropicalHazards-BI/issues/363',
    },
    {
      id: 'nn-217',
      text: 'Ao acessar um determinado endpoint, por exemplo um CNPJ através do endereço https://kitana.opencnpj.com/cnpj/33475419000159, a API responde:\n{\n  "success": false,\n  "message": "Limite de requisições excedido, aguarde 1 minuto.",\n  "data": null\n}\n\nJá aguardei bem mais de 1 min, tentei acessar por outros dispositivos, mas sempre ocorre essa mesma mensagem.',
      source: 'https://github.com/opencaramelo/opencnpj/issues/4',
    },
  ])('stays quiet: $id (a tune look-alike)', ({ text }) => staysQuiet(text));

  test.each([
    'O token não tem permissão para acessar este recurso',
    'Limite de requisições excedido, aguarde 1 minuto',
    'Não recebi o e-mail de redefinição de senha',
    'O código de verificação expirou',
    'Meu período de teste expirou',
    'Como faço para gerar um token de acesso?',
    'O link para redefinir sua senha expirou',
  ])('stays quiet: %s', staysQuiet);
});

describe('Italian', () => {
  test.each<TuneCase>([
    {
      id: 'pw26-028',
      text: "Autentica nuovamente un'origine dati Google Analytics\nSolo amministratori di agenzia, account manager di agenzia, Adobi e amministratori\nSe si modifica la password dell'account di posta elettronica utilizzato per un'origine dati o se il certificato OAuth dell'account scade, tutte le connessioni aperte all'account di posta elettronica verranno chiuse e sarà necessario ripetere l'autenticazione per riprendere la sincronizzazione dei dati.",
      source:
        'https://experienceleague.adobe.com/it/docs/advertising/search-social-commerce/admin/data-sources/data-source-reauthenticate',
      platform: 'google',
      cause: 'password_changed',
    },
  ])('$id', expectLoginError);

  test.each<TuneLookAlike>([
    {
      id: 'ny-250',
      text: "Salve stiamo provando ad implementare il riconoscimento con spid mediante l'implementazione SimpleSAML.\nQuando effettuiamo la prova di autenticazione con idptest.spid.gov.it riceviamo l'errore in oggetto.\n**EntityDescriptor/SPSSODescriptor/KeyDescriptor/0/KeyInfo/X509Data/X509Certificate/text - Il certificato è scaduto.**",
      source: 'https://github.com/italia/spid/issues/1346',
    },
  ])('stays quiet: $id (a tune look-alike)', ({ text }) => staysQuiet(text));

  test.each([
    'Il token non ha i permessi per questa risorsa',
    'Troppe richieste: limite di frequenza superato',
    "Non ho ricevuto l'email per reimpostare la password",
    'Il codice di verifica è scaduto',
    'La mia prova gratuita è scaduta',
    'Come creo un token di accesso?',
    'Il link per reimpostare la password è scaduto',
    'Come si cambia la password?',
  ])('stays quiet: %s', staysQuiet);
});

describe('Dutch', () => {
  test.each<TuneCase>([
    {
      id: 'pw64-003',
      text: 'Koppeling verbroken met Exact Online\n\nHet kan voorkomen dat er geen (werkende) koppeling meer is tussen Exact Online en eVerbinding. Als er geen correcte koppeling meer is tussen Exact Online en eVerbinding hebben wij de koppeling in eVerbinding ook uitgeschakeld.\nEr zijn twee mogelijkheden waarom de koppeling niet meer werkt.\n  1. De koppeling is ingetrokken in Exact Online;\n  2. Of het wachtwoord om in te loggen bij Exact Online is verlopen.\n\nIndien de koppeling weer moet worden geactiveerd kan op de volgende link worden geklikt: exactonline.everbinding.nl. Hier kan worden ingelogd door de gebruiker waarmee de eerste koppeling ook is gelegd. Vervolgens kan de koppeling in het tabblad ‘Administratie’ opnieuw worden geactiveerd. Via “Instellingen” kunnen koppelingen worden gewijzigd en opnieuw geactiveerd.',
      source: 'https://support.everbinding.nl/knowledge-base/koppeling-verbroken-met-exact-online/',
      platform: 'exact',
      cause: 'app_access_removed',
    },
  ])('$id', expectLoginError);

  test.each<TuneLookAlike>([
    {
      id: 'nt-015',
      text: 'Om een nieuw wachtwoord in te stellen ga je naar het veld Bestaande gebruiker op de homepage. Daar klik je op de link Wachtwoord vergeten. Vul het e-mailadres in dat je gebruikt voor je account. Je ontvangt daarna een e-mail met een link om je geheime vraag te beantwoorden. Nadat je het juiste antwoord hebt ingevuld en bevestigd, kun je een nieuw wachtwoord instellen en opnieuw inloggen.',
      source: 'https://www.afternote.com/nl/account/wat-moet-ik-doen-als-ik-mijn-wachtwoord-ben-vergeten',
    },
    {
      id: 'nt-002',
      text: "Ik (namens de AppCie?) heb een klein probleempje met de API: Na verloop van tijd verloopt de LoginToken?, wat betekend dat de app niet meer naar behoren functioneert (ingelogde gebruikers kunnen meer activiteiten en foto's bekijken etc.) en de gebruiker in en uit moet loggen om het probleem te verhelpen. Een nieuwe token opvragen lijkt een goede, simpele oplossing, maar wij slaan de gebruikersnaam en het wachtwoord niet op de telefoon op (for obvious reasons), dus dit is niet mogelijk.\n\nWe moeten dus even kijken of we hier een elegante oplossing voor kunnen vinden (automatisch nieuwe token krijgen bij TokenExpiredError??), dan kan de AppCie? de nieuwe release de deur uit doen.",
      source: 'https://github.com/Inter-Actief/amelie/issues/58',
    },
  ])('stays quiet: $id (a tune look-alike)', ({ text }) => staysQuiet(text));

  test.each([
    'Het token heeft geen rechten voor deze resource',
    'Te veel verzoeken: de limiet is bereikt',
    'Ik heb de e-mail om mijn wachtwoord te resetten niet ontvangen',
    'De verificatiecode is verlopen',
    'Mijn proefperiode is verlopen',
    'Hoe maak ik een API-token aan?',
    'De link om je wachtwoord te resetten is verlopen',
  ])('stays quiet: %s', staysQuiet);
});

describe('Polish', () => {
  test.each<TuneCase>([
    {
      id: 'pw13-056',
      text: 'Zmiana logiki wygasania tokenów przy zmianie hasła lub innych kluczowych parametrów konta.\n\nAplikacja umożliwia ponowne zalogowanie, ale tylko interaktywne, gdyż Allegro nie pozwala na inne. Nie jesteśmy w stanie wykonać automatycznego ponownego zalogowania i uwierzytelnienia, by wznowić workflow. To jest postawione na głowie, bo celem korzystania z tokenów jest automatyzacja w tle, a nie uwiązanie klienta do interaktywnej pracy.',
      source: 'https://github.com/allegro/allegro-api/issues/12661',
      platform: 'allegro',
      cause: 'password_changed',
    },
    {
      id: 'pw13-058',
      text: 'Ostatnim czasie pracownik zmienił hasło Allegro i hasła do aplikacji przestały działać również. \nCzy jest to zamierzone Allegro?\n\nJeżeli zmieniam hasło to muszę wygenerować nowe dane do RestAPI również? Nowy token?',
      source: 'https://github.com/allegro/allegro-api/issues/1627',
      platform: 'allegro',
      cause: 'password_changed',
    },
  ])('$id', expectLoginError);

  test.each<TuneLookAlike>([
    {
      id: 'nn-244',
      text: "Brak uprawnień do zasobu\nDzień dobry,\nMam problem z pobraniem zasobów z endpointów:\n**https://api.allegro.pl.allegrosandbox.pl/after-sales-service-conditions/return-policies**\nOdpowiedź (http code 403):\n{'errors': [{'code': 'FORBIDDEN', 'message': 'Forbidden', 'details': None, 'path': None, 'userMessage': 'Nie posiadasz wymaganych uprawnień'}]\n\n**https://api.allegro.pl.allegrosandbox.pl/sale/shipping-rates**\nOdpowiedź (http code 403):\n{'errors': [{'code': 'AccessDeniedException', 'message': 'Username is undefined in oAuth token.', 'details': None, 'path': None, 'userMessage': 'Dostęp zabroniony.'}]",
      source: 'https://github.com/allegro/allegro-api/issues/9961',
    },
  ])('stays quiet: $id (a tune look-alike)', ({ text }) => staysQuiet(text));

  test.each([
    'Token nie ma uprawnień do tego zasobu',
    'Zbyt wiele żądań – przekroczono limit',
    'Nie dostałem maila do resetowania hasła',
    'Kod weryfikacyjny wygasł',
    'Mój okres próbny wygasł',
    'Jak wygenerować token dostępu?',
    'Link do resetowania hasła wygasł',
    'Jak zmienić hasło?',
  ])('stays quiet: %s', staysQuiet);
});

describe('Russian', () => {
  test.each<TuneCase>([
    {
      id: 'pw-152',
      text: 'При авторизации параметр TokenExpireTime не задавал. По дефолту написано он равен 0, а значит действия токена бесконечно. Но воспользовавшись им спустя 3 дня после получения выскакивает ошибка',
      source: 'https://github.com/vknet/vk/issues/714',
      cause: 'unknown',
    },
    {
      id: 'pw13-096',
      text: 'Спустя некоторое время слетает авторизация, поэтому приходится каждый час-два "Объединять аккаунты" в настройках Яндекса, иначе ничего не работает.',
      source: 'https://github.com/dext0r/yandex_smart_home/issues/8',
      platform: 'yandex',
      cause: 'unknown',
    },
  ])('$id', expectLoginError);

  test.each([
    'У токена нет прав на этот ресурс',
    'Слишком много запросов, превышен лимит',
    'Не приходит письмо для сброса пароля',
    'Срок действия кода подтверждения истёк',
    'Пробный период истёк',
    'Как создать токен доступа?',
    'Ссылка для сброса пароля истекла',
  ])('stays quiet: %s', staysQuiet);
});

describe('Chinese', () => {
  test.each<TuneCase>([
    {
      id: 'pc10-138',
      text: "一直显示：query.bag ['FAIL_SYS_SESSION_EXPIRED::Session过期']",
      source: 'https://github.com/gaoxt/taobao_api/issues/1',
      platform: null,
      cause: 'unknown',
    },
    {
      id: 'pc6-011',
      text: '同步到百度网盘时提示 access_token 过期，重新授权后仍然报错。\n\n[2026-07-04 10:23:45] ERROR: BaiduNetdisk: token expired, refresh failed with code: 110',
      source: 'https://github.com/abcamus/obsidian-sync-vault-ce/issues/33',
      cause: 'unknown',
    },
  ])('$id', expectLoginError);

  test.each([
    '令牌没有访问该资源的权限',
    '请求过多，已超出频率限制',
    '收不到重置密码的邮件',
    '验证码已过期',
    '试用期已过期',
    '如何创建访问令牌？',
    '如何修改密码？',
    // A lifetime told as a noun ("token expiry time is 2 hours"), not a lapse (made up).
    'token过期时间为2小时，请注意刷新',
    '会话失效时长可以在后台设置',
  ])('stays quiet: %s', staysQuiet);

  test.each(['token已过期，请重新登录', '会话已失效，请重新登录'])('a lapse told in the past: %s', (text) =>
    expectLoginError({ text, cause: 'unknown' }),
  );

  test.each<TuneLookAlike>([
    {
      id: 'nz59-013',
      text: 'access_token过期时间，显示是30天有效？',
      source: 'https://github.com/pengzhile/pandora/issues/661',
    },
  ])('stays quiet: $id (a tune look-alike, found after the guard was written)', ({ text }) =>
    staysQuiet(text),
  );
});

describe('Japanese', () => {
  test.each<TuneCase>([
    {
      id: 'pw13-098',
      text: 'Remote MCP (transport: remote) 経由でfreee-mcpに接続していますが、freee_api_get でhr APIの実データを取得しようとすると401エラー（expired_access_token）が返り続けます。認証コネクタを2回再接続しても解消しませんでした。',
      source: 'https://github.com/freee/freee-mcp/issues/525',
      cause: 'unknown',
    },
  ])('$id', expectLoginError);

  test.each<TuneLookAlike>([
    {
      id: 'nk-010',
      text: 'ShopifyのStorefront APIのCustomerAccessTokenの有効期限が公式リファレンスに明記されておらず、フォーラムでも期間を明記した回答はなかったので検証しました。',
      source: 'https://qiita.com/sanbasan/items/62d51f7dabca7604c17f',
    },
  ])('stays quiet: $id (a tune look-alike)', ({ text }) => staysQuiet(text));

  test.each([
    'トークンにこのリソースへのアクセス権限がありません',
    'リクエストが多すぎます。レート制限を超えました',
    'パスワードリセットのメールが届きません',
    '認証コードの有効期限が切れました',
    '無料トライアルの有効期限が切れました',
    'アクセストークンの作り方を教えてください',
    'パスワードを変更する方法',
    // A lifetime told in the present, a fact about tokens and not a lapse (made up).
    'トークンの有効期限が切れる時刻はレスポンスの expires_in で確認できます',
    'アクセストークンは1時間で失効します',
    'セッションは30分で切れます',
  ])('stays quiet: %s', staysQuiet);

  test.each([
    'トークンの有効期限が切れています。再ログインしてください',
    'セッションが切れました',
    'トークンが失効しました',
  ])('a lapse told in the past: %s', (text) => expectLoginError({ text, cause: 'unknown' }));
});
